/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { roomName, type Room } from "../../src/rooms/rooms.ts";
import type { User } from "../../src/users/users.ts";
import { Layout } from "../layout.tsx";
import { Sidebar } from "./sidebar.tsx";

type RoomPageProps = { user: User; accountName: string; rooms: Room[]; room: Room | null };

export const RoomPage: FC<RoomPageProps> = ({ user, accountName, rooms, room }) => (
  <Layout title={room ? `${roomName(room)} · ${accountName}` : accountName} bodyClass="app" userId={user.id}>
    <Sidebar user={user} accountName={accountName} rooms={rooms} currentRoomId={room?.id} />
    <main class="room" data-room-id={room?.id}>
      {room ? (
        <>
          <header class="room__header">
            <h1 class="room__name">{roomName(room)}</h1>
          </header>
          <section id={`room_${room.id}_messages`} class="room__messages" aria-label="Messages">
            <p class="room__empty">This is the very beginning of {roomName(room)}. Say hello!</p>
          </section>
          <footer class="room__composer composer">
            <form class="composer__form" method="post" action={`/rooms/${room.id}/messages`}>
              <label class="visually-hidden" for="composer_body">
                Message {roomName(room)}
              </label>
              <textarea id="composer_body" class="composer__input" name="body" rows={1} placeholder={`Message ${roomName(room)}`} required></textarea>
              <button class="button button--primary composer__send" type="submit" name="send">
                Send
              </button>
            </form>
          </footer>
        </>
      ) : (
        <section class="room__none">
          <h1>No rooms yet</h1>
          <p>When someone adds you to a room, it shows up here.</p>
        </section>
      )}
    </main>
  </Layout>
);
