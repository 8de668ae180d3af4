/** The only place topic names are built, so a publisher and a subscriber can never disagree on one. */

/** Everyone looking at the room right now: messages, typing, presence. */
export const roomTopic = (roomId: number): string => `room:${roomId}`;

/** People who have the room in their sidebar but are not looking at it: one small "something happened" frame. */
export const activityTopic = (roomId: number): string => `activity:${roomId}`;

/** One person's tabs: sidebar changes, read marks. */
export const userTopic = (userId: number): string => `user:${userId}`;
