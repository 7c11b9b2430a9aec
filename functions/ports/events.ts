/** The stack's event bus: deployment notifications sent outside the state machine (the janitor's). */
export interface EventsPort {
  putDeploymentEvent(detail: object, resources: string[]): Promise<void>;
}
