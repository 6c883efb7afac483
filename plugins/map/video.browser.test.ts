import { expect } from 'chai';
import { defaultStageProps } from '../../engine/generated/stageProps';
import { assertNear, mountStage, settle, unmountAll } from '../../engine/render/testing/browserStage';
import { pixel } from '../../engine/render/testing/browserStage';

/** Records a short solid-colour WebM in the browser itself and returns it as a data URL. */
async function recordWebm(rgb: number[]): Promise<string> {
  const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 64 });
  const g = canvas.getContext('2d')!;
  const stream = canvas.captureStream(30);
  const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8' });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const done = new Promise((res) => (recorder.onstop = res));
  recorder.start();
  for (let i = 0; i < 20; i++) {
    g.fillStyle = `rgb(${rgb.join(',')})`;
    g.fillRect(0, 0, 64, 64);
    await new Promise((res) => setTimeout(res, 25));
  }
  recorder.stop();
  await done;
  const blob = new Blob(chunks, { type: 'video/webm' });
  return new Promise((res) => {
    const reader = new FileReader();
    reader.onload = () => res(reader.result as string);
    reader.readAsDataURL(blob);
  });
}

afterEach(unmountAll);

describe('video map (WebGL2)', () => {
  it('plays a video map as a texture and keeps rendering while it plays', async () => {
    const url = await recordWebm([0, 0, 230]);
    expect(url.startsWith('data:video/')).to.equal(true);
    const props = defaultStageProps();
    props.grid = { ...props.grid, visible: false };
    props.map = { ...props.map, url, zoom: 4 };
    const r = await mountStage('gm', props);
    const video = r.scene.textures.find((t) => t.name === 'map-video') as unknown as {
      video: HTMLVideoElement;
    };
    for (let i = 0; i < 100 && (video.video.readyState < 2 || video.video.paused); i++)
      await new Promise((res) => setTimeout(res, 20));
    await settle(r);
    assertNear(pixel(r, 100, 100), [0, 0, 230], 30);
    // While the video plays the host renders every animation frame without being asked.
    const before = r.stats().frames;
    for (let i = 0; i < 4; i++) await new Promise((res) => requestAnimationFrame(res));
    expect(r.stats().frames).to.be.greaterThan(before);
  });
});
