/**
 * What other systems hear (docs/interfaces.md "Events"): every change the desk
 * makes is one event, appended to an ordered log in the same atomic step as
 * the change, so an event never exists for a change that did not commit and a
 * committed change always has its event. An event's id is its place in the
 * log (a Redis stream id), given when it is appended.
 */
export const EVENT_TYPES = [
  'case.opened',
  'case.state-changed',
  'licenses.moved',
  'system.disabled',
  'licenses.forfeited',
  'fee.assessed',
  'fee.charged',
  'fee.declined',
  'fee.waived',
  'po.raised',
  'bill.raised',
  'key.returned',
  'sessions.claimed',
  'machine.reactivated',
  'registry.changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An event before it is appended. */
export interface NewDeskEvent {
  type: EventType;
  /** ISO time of the change, on the desk's clock. */
  at: string;
  case?: string;
  data: Record<string, unknown>;
}

/** An event as the log, the API and webhooks give it. */
export interface DeskEvent extends NewDeskEvent {
  id: string;
}
