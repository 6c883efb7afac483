import { TargetCamera } from '@babylonjs/core/Cameras/targetCamera';
import { Camera } from '@babylonjs/core/Cameras/camera';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import type { Scene } from '@babylonjs/core/scene';
import { screenToScene, type ScreenSize, type ViewportTransform } from './viewport';

/** The host's orthographic top-down camera and how a viewport transform drives it. */
export interface CameraRig {
  readonly camera: TargetCamera;
  apply(t: ViewportTransform, screen: ScreenSize): void;
}

/** How far in front of the scene plane (z = 0) the camera sits; meshes stack at small z offsets. */
const CAMERA_Z = -1000;

/**
 * Creates an orthographic camera looking down +z at the scene plane. World
 * coordinates are scene coordinates with y flipped (Babylon is y-up, the scene
 * y-down); one world unit is one scene unit, so ortho extents follow the zoom.
 */
export function createCamera(scene: Scene): CameraRig {
  const camera = new TargetCamera('stage-camera', new Vector3(0, 0, CAMERA_Z), scene);
  camera.mode = Camera.ORTHOGRAPHIC_CAMERA;
  camera.minZ = 1;
  camera.maxZ = 2 * Math.abs(CAMERA_Z);
  camera.rotation = new Vector3(0, 0, 0);
  scene.activeCamera = camera;
  return {
    camera,
    apply(t, screen) {
      const centre = screenToScene(t, { x: screen.width / 2, y: screen.height / 2 });
      camera.position.set(centre.x, -centre.y, CAMERA_Z);
      // A clockwise screen rotation of the scene is a counter-clockwise roll of the camera.
      camera.rotation.set(0, 0, (t.rotation * Math.PI) / 180);
      const halfW = screen.width / (2 * t.zoom);
      const halfH = screen.height / (2 * t.zoom);
      camera.orthoLeft = -halfW;
      camera.orthoRight = halfW;
      camera.orthoTop = halfH;
      camera.orthoBottom = -halfH;
    },
  };
}
