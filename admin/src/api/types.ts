/** Names for the API's shapes, taken from the generated document types. */
import type { paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type OrderView = Json<paths['/v1/orders/{id}']['get']['responses'][200]>;
export type OrderPage = Json<paths['/v1/orders/search']['get']['responses'][200]>;
export type HistoryEntry = Json<paths['/v1/orders/{id}/history']['get']['responses'][200]>['items'][number];
export type Workflow = Json<paths['/v1/workflows/{name}']['get']['responses'][200]>;
export type WorkflowSummary = Json<paths['/v1/workflows']['get']['responses'][200]>['items'][number];
export type StuckView = Json<paths['/v1/workflows/{name}/stuck']['get']['responses'][200]>;
export type SkuLevel = Json<paths['/v1/inventory']['get']['responses'][200]>['items'][number];
export type Movement = Json<paths['/v1/inventory/{sku}/movements']['get']['responses'][200]>['items'][number];
export type ListedKey = Json<paths['/v1/api-keys']['get']['responses'][200]>['items'][number];
export type ModificationPreview = Extract<Json<paths['/v1/orders/{id}/modifications']['post']['responses'][200]>, { dryRun: true }>;
export type StateKind = Workflow['tracks'][number]['states'][number]['kind'];
