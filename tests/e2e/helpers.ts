/**
 * What the end-to-end test edits and how it finds it: properties looked up
 * in the registry (their inspector sections and labels come from it too),
 * and small page actions on the editor's real controls.
 */
import type { Page } from 'playwright-core';
import { registry } from '../../engine/generated/schemas';
import { assetPropFor } from '../../editor/pages/gm-editor-keys';
import type { StageProps } from '../../engine/generated/stageProps';
import type { Point, PropInfo } from '../../engine/schema';

// Test data: the properties this run edits, looked up in the registry (their panels and labels come from it too).
export const SLIDER = mustProp(['grid', 'opacity']);
export const OTHER_FIELD = mustProp(['grid', 'lineWidth']);
export const FOG_TOGGLE = mustProp(['fogOfWar', 'enabled']);
export const COLLECTION = registry.collections[0]!;
export const [GM_ONLY_KEY, GM_ONLY_VALUES] = [...COLLECTION.gmOnlyWhen.entries()][0]!;
export const GM_ONLY_PROP = COLLECTION.props.find((p) => p.key === GM_ONLY_KEY)!;
/**
 * The scene property a dropped PNG becomes (the map image), found the way the
 * editor finds it: through the plugins' declared drop targets. Other scene
 * assets take PNGs too (the pause cover's image), so "the first asset that
 * accepts PNG" is not it.
 */
export const MAP_ASSET = assetPropFor('image/png')!;
/** Where the GM puts a marker and reveals fog, in scene units. */
export const P: Point = { x: 420, y: 300 };

function mustProp(path: string[]): PropInfo {
  const prop = registry.byPath(path);
  if (!prop) throw new Error(`the registry has no ${path.join('.')}`);
  return prop;
}

export const group = (props: StageProps, key: string) =>
  (props as unknown as Record<string, Record<string, unknown>>)[key]!;
export const valueOf = (props: StageProps, prop: PropInfo) => group(props, prop.plugin.key)[prop.key];
export const members = (props: StageProps) =>
  group(props, COLLECTION.key) as Record<string, Record<string, unknown>>;
export const reddish = ([r, g, b]: number[]) => r! > 150 && g! < 110 && b! < 110;

/** The inspector control of a scene property, found by its plugin's section and its label. */
export function control(page: Page, prop: PropInfo): ReturnType<Page['locator']> {
  return page.locator(
    `ts-inspector-column section[data-plugin="${prop.plugin.name}"] [label="${prop.label}"]`,
  );
}

/** Sets a slider or number property by typing into its number field, then leaving it (one edit). */
export async function typeNumber(page: Page, prop: PropInfo, value: number): Promise<void> {
  const input = control(page, prop).locator('input[type=number]');
  await input.fill(String(value));
  await input.press('Tab');
}

/** The page (viewport) point of a scene point in the page's stage view. */
export async function screenPoint(page: Page, p: Point): Promise<Point> {
  const box = (await page.locator('ts-stage-view canvas').boundingBox())!;
  const s = await page.evaluate(
    (q) =>
      (window as unknown as { __tablestage: { renderer(): { sceneToScreen(p: Point): Point } } }).__tablestage
        .renderer()
        .sceneToScreen(q),
    p,
  );
  return { x: box.x + s.x, y: box.y + s.y };
}

/** The whole scene point at a fraction of the page's stage view (0.5, 0.5: its centre), as it shows now. */
export async function scenePointAt(page: Page, fx: number, fy: number): Promise<Point> {
  const box = (await page.locator('ts-stage-view canvas').boundingBox())!;
  const s = await page.evaluate(
    (q) =>
      (window as unknown as { __tablestage: { renderer(): { screenToScene(p: Point): Point } } }).__tablestage
        .renderer()
        .screenToScene(q),
    { x: box.width * fx, y: box.height * fy },
  );
  return { x: Math.round(s.x), y: Math.round(s.y) };
}
