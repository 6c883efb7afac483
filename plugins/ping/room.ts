import { defineRoomPlugin } from '../../engine/plugin';
import { pingPresence } from './presence';

/** The room checks every ping it relays: shape, GMs or (when allowed) players, two a second per connection. */
export default defineRoomPlugin({ name: 'ping', presence: pingPresence });
