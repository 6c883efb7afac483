import { defineRoomPlugin } from '../../engine/plugin';
import { rulerPresence } from './presence';

/** The room checks every ruler it relays: shape and size, GMs or (when allowed) players, at most the cursor rate. */
export default defineRoomPlugin({ name: 'ruler', presence: rulerPresence });
