/**
 * decide(workflow, order, command, actor, now): the single pure entry point for changing
 * an existing order. It returns the new order and its events, or a typed rejection; the
 * engine persists the result. It performs nothing itself.
 */
import type { Actor } from './actor.js';
import type { Decision } from './decision.js';
import type { Order } from './order.js';
import { accept, type Result } from './result.js';
import type { WorkflowDefinition } from './workflow/definition.js';
import { takeTransition } from './workflow/interpret.js';

export interface TransitionCommand {
  readonly type: 'transition';
  readonly track?: string;
  readonly to: string;
  readonly reason?: string;
}

export type OrderCommand = TransitionCommand;

export function decide(wf: WorkflowDefinition, order: Order, command: OrderCommand, actor: Actor, now: Date): Result<Decision> {
  switch (command.type) {
    case 'transition': {
      const moved = takeTransition(wf, order, command, actor, now);
      if (!moved.ok) return moved;
      return accept({ order: bump(moved.value.order, now), events: moved.value.changes });
    }
    default:
      return command.type satisfies never;
  }
}

const bump = (order: Order, now: Date): Order => ({ ...order, version: order.version + 1, updatedAt: now });
