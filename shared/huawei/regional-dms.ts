// A DMS client bound to one region's endpoint: the use cases name a project or an instance, never an
// endpoint, so no deps carry an endpoint function beside the client (the deployment makes one per
// region, shared/deployment).
import type { HuaweiAnswer } from './client.ts';
import type { DmsApi, EnableAnswer, EnableBody, InstanceDetail, InstanceListAnswer, InstancePage, TaskAnswer } from './dms.ts';
import type { KafkaRegion } from './regions.ts';
import type { Deadline } from '../runtime/index.ts';

/** A project, in the region its client is bound to. */
export interface RegionalProject {
  readonly projectId: string;
}

/** An instance of a project, in the region its client is bound to. */
export interface RegionalInstance extends RegionalProject {
  readonly instanceId: string;
}

/** DmsApi's calls, each sent to `endpoint`. */
export interface RegionalDms {
  readonly region: KafkaRegion;
  /** HUAWEICLOUD_DMS_ENDPOINT when set, else the region's own. */
  readonly endpoint: string;
  enableConnector(instance: RegionalInstance, body: EnableBody, deadline: Deadline): Promise<HuaweiAnswer<EnableAnswer>>;
  showInstance(instance: RegionalInstance, deadline: Deadline): Promise<HuaweiAnswer<InstanceDetail>>;
  showTask(instance: RegionalInstance, taskId: string, deadline: Deadline): Promise<HuaweiAnswer<TaskAnswer>>;
  listInstances(project: RegionalProject, page: InstancePage, deadline: Deadline): Promise<HuaweiAnswer<InstanceListAnswer>>;
}

export function regionalDms(dms: DmsApi, region: KafkaRegion, endpoint: string): RegionalDms {
  const at = (instance: RegionalInstance) => ({ endpoint, projectId: instance.projectId, instanceId: instance.instanceId });
  return {
    region,
    endpoint,
    enableConnector: (instance, body, deadline) => dms.enableConnector(at(instance), body, deadline),
    showInstance: (instance, deadline) => dms.showInstance(at(instance), deadline),
    showTask: (instance, taskId, deadline) => dms.showTask(at(instance), taskId, deadline),
    listInstances: (project, page, deadline) => dms.listInstances({ endpoint, projectId: project.projectId }, page, deadline),
  };
}
