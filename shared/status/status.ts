// The status use case: whether Smart Connect is on for one instance, read from its detail (one GET,
// retried as every idempotent call). Huawei's failures, its 404 for an unknown instance included,
// pass through as the HuaweiApiError the client raised.
import { connectorState, isPayPerUse, type ConnectorState, type RegionalDms } from '../huawei/index.ts';
import type { Deadline } from '../runtime/index.ts';
import type { StatusRequest } from './request.ts';

/** The contract's Status object. */
export interface SmartConnectStatus {
  readonly project_id: string;
  readonly instance_id: string;
  readonly state: ConnectorState;
  readonly connector_id?: string;
  readonly instance_status: string;
  readonly pay_per_use: boolean;
}

export interface StatusDeps {
  /** The client in the request's region. */
  readonly dms: Pick<RegionalDms, 'showInstance'>;
  readonly deadline: Deadline;
}

/** @throws CallError when the detail cannot be read (Huawei's 404: no such instance in the project). */
export async function smartConnectStatus(request: StatusRequest, deps: StatusDeps): Promise<SmartConnectStatus> {
  const { data: detail } = await deps.dms.showInstance({ projectId: request.project_id, instanceId: request.instance_id }, deps.deadline);
  const state = connectorState(detail);
  // A connector id left over from a job that failed is not the instance's connector.
  const connectorId = state !== 'not_enabled' && detail.connector_id ? { connector_id: detail.connector_id } : {};
  return {
    project_id: request.project_id,
    instance_id: request.instance_id,
    state,
    ...connectorId,
    instance_status: detail.status,
    // Huawei's default billing is pay-per-use; a detail without charging_mode is taken as such.
    pay_per_use: isPayPerUse(detail) ?? true,
  };
}
