// The deployment: what every flow runs with, built once per process from parts the composition root made.
export { createDeployment, type Deployment, type DeploymentParts, type DeploymentSchemas } from './deployment.ts';
