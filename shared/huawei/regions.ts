// The regions Huawei's Kafka SDK (KafkaRegion, 3.1.215) knows. Project ids are per region, so a
// request may name its own region; the endpoint follows from it.
export const KAFKA_REGIONS = [
  'eu-west-101',
  'cn-north-1',
  'cn-north-2',
  'cn-north-4',
  'cn-east-3',
  'cn-east-2',
  'cn-south-1',
  'cn-south-2',
  'cn-southwest-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'af-south-1',
  'ru-northwest-2',
  'cn-north-9',
  'la-south-2',
  'sa-brazil-1',
  'la-north-2',
  'na-mexico-1',
  'ap-southeast-4',
  'tr-west-1',
  'ae-ad-1',
  'eu-west-0',
  'me-east-1',
  'cn-east-5',
  'my-kualalumpur-1',
  'cn-east-4',
  'af-north-1',
  'ap-southeast-5',
  'ru-moscow-1',
  'cn-south-4',
  'cn-north-12',
  'cn-north-11',
  'cn-southwest-3',
] as const;

export type KafkaRegion = (typeof KAFKA_REGIONS)[number];

/** What a region setting or field must be, as messages say it. */
export const KAFKA_REGION_EXPECTED = "a region Huawei's Kafka SDK knows, such as cn-north-4";

// Regions served from Huawei Cloud Europe's own domain.
const EU_DOMAIN_REGIONS: ReadonlySet<string> = new Set(['eu-west-101']);

export function dmsEndpoint(region: KafkaRegion): string {
  const domain = EU_DOMAIN_REGIONS.has(region) ? 'myhuaweicloud.eu' : 'myhuaweicloud.com';
  return `https://dms.${region}.${domain}`;
}

/** IAM's endpoint when none is configured: the SDK's default (its iamEndpoint), global, for every region. */
export const DEFAULT_IAM_ENDPOINT = 'https://iam.myhuaweicloud.com';
