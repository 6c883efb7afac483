import { defineRoomPlugin } from '../../engine/plugin';
import { CURSOR_FIELD } from '../../engine/sync/presence';

/**
 * With "GM cursors on the TV" off in the scene on show, players receive no
 * GM cursor: the room strips it from what it relays to them (and withdraws
 * the GM cursors they hold when the GM turns it off).
 */
export default defineRoomPlugin({
  name: 'display',
  hideGmPresence: (values) => (values.gmCursors === false ? [CURSOR_FIELD.key] : []),
});
