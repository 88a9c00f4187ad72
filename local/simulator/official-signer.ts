// Huawei's own canonicalisation, reached through the official Node SDK's signer. Its building blocks
// are `protected static` in the published typings, so this module states the part we call; calls go
// through the class object so that their `this` (hex tables, urlEncode) is the signer's own.
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';

export interface OfficialSignerPrimitives {
  readonly SDK_SIGNING_ALGORITHM: string;
  CanonicalURI(inputUri: string): string;
  CanonicalQueryString(request: { queryParams: Record<string, string | string[]> }): string;
  buildCanonicalHeaders(headers: Record<string, string>): string;
  buildCanonicalRequest(
    method: string,
    canonicalURI: string,
    canonicalQueryString: string,
    canonicalHeaders: string,
    signedHeaderNames: string,
    payloadHash: string,
  ): string;
  getStringToSign(algorithm: string, dateTimeStamp: string, canonicalRequestHash: string): string;
  Hex(value: string): string;
  hmacSHA256(secretKey: string, value: string): string;
}

export const officialSigner = AKSKSigner as unknown as OfficialSignerPrimitives;
