import {
  defaultStageProps,
  defaultTemplateProps,
  type TemplateProps,
} from '../../engine/generated/stageProps';
import {
  assertNear,
  BACKGROUND,
  mountStage,
  pixel,
  unmountAll,
} from '../../engine/render/testing/browserStage';

const RED = [255, 0, 0];
const template = (over: Partial<TemplateProps>): TemplateProps => ({
  ...structuredClone(defaultTemplateProps),
  color: '#ff0000',
  opacity: 1,
  ...over,
});

// A hidden 32-unit grid: templates still measure against it; the identity viewport maps units to CSS px.
function sceneWith(templates: Record<string, TemplateProps>) {
  const props = defaultStageProps();
  props.grid = { ...props.grid, visible: false, size: 32 };
  props.templates = templates;
  return props;
}

afterEach(unmountAll);

describe('template pixels (WebGL2)', () => {
  it('a 5-ft sphere under 5e lights a 3×3 block of cells, corners included', async () => {
    const r = await mountStage(
      'gm',
      sceneWith({ a: template({ shape: 'circle', origin: { x: 48, y: 48 }, size: 5 }) }),
    );
    assertNear(pixel(r, 10, 10), RED, 30);
    assertNear(pixel(r, 86, 86), RED, 30);
    assertNear(pixel(r, 110, 48), BACKGROUND);
  });

  it('a 10-ft cube centred on a grid corner lights 2×2 cells', async () => {
    const r = await mountStage(
      'gm',
      sceneWith({ a: template({ shape: 'square', origin: { x: 192, y: 64 }, size: 10 }) }),
    );
    assertNear(pixel(r, 170, 40), RED, 30);
    assertNear(pixel(r, 215, 90), RED, 30);
    assertNear(pixel(r, 240, 40), BACKGROUND);
  });

  it('a 15-ft line aimed down lights three cells in a column', async () => {
    const r = await mountStage(
      'gm',
      sceneWith({
        a: template({ shape: 'line', origin: { x: 272, y: 0 }, size: 15, width: 5, direction: 90 }),
      }),
    );
    assertNear(pixel(r, 272, 80), RED, 30);
    assertNear(pixel(r, 272, 120), BACKGROUND);
    assertNear(pixel(r, 310, 50), BACKGROUND);
  });

  it('a 15-ft 90° cone aimed right lights cells ahead of its origin, none behind', async () => {
    const r = await mountStage(
      'gm',
      sceneWith({ a: template({ shape: 'cone', coneAngle: '90', origin: { x: 32, y: 176 }, size: 15 }) }),
    );
    assertNear(pixel(r, 112, 176), RED, 30);
    assertNear(pixel(r, 12, 176), BACKGROUND);
    assertNear(pixel(r, 48, 250), BACKGROUND);
  });
});
