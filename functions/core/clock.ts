/** The time now, passed in so that rules and tests can fix it; the one clock type of every function. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
