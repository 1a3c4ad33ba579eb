/** Ordo's public surface for in-process use. */
export { createOrdo, type Ordo, type OrdoOptions } from './engine/ordo.js';
export { ManualClock, systemClock, type Clock } from './engine/clock.js';
export type { OrderView, HistoryEntryView } from './engine/order-view.js';
export type { CreateOrderInput, ListOrdersQuery, OrderPage, CommandOptions } from './engine/order-service.js';
export type { Actor, ActorKind } from './domain/actor.js';
export type { Result, Rejection, RejectionCode } from './domain/result.js';
export type { OrderCommand } from './domain/decide.js';
export type { WorkflowDefinition, TrackDefinition, StateDefinition, TransitionDefinition, ReactionDefinition, TimerDefinition, Guard } from './domain/workflow/definition.js';
export { validateWorkflow, WorkflowDefinitionError } from './domain/workflow/validate.js';
export { toMermaid } from './domain/workflow/mermaid.js';
export { presets } from './workflows/index.js';
export { buildServer } from './http/server.js';
export type { PaymentGateway, GatewayCall, GatewayAnswer, RefundAnswer, GatewayCallback } from './gateways/port.js';
export { CallbackInvalid, CallbackRejected } from './gateways/port.js';
export type { CompletionHandler } from './engine/completion-service.js';
export type { FraudRules, Screening } from './domain/fraud.js';
export type { Order } from './domain/order.js';
