import { defineRoomPlugin } from '../../engine/plugin';
import { fogOcclusion } from './occlusion';

/** The fog's room half: members entirely under opaque player fog are not sent to players. */
export default defineRoomPlugin({ name: 'fogOfWar', occlusion: fogOcclusion });
