/**
 * The stage view's performance tier in real Chromium (WebGL2 on SwiftShader):
 * the tier it is given reaches its renderer (what systems read), a pinned
 * tier stays pinned, `auto` hands the choice to frame time, and the tier in
 * effect shows as `data-tier` / `data-tier-mode` for tests and the curious.
 */
import { defaultStageProps } from '../../engine/generated/stageProps';
import { assertEqual } from '../inspector/testing';
import { StageView } from './stage-view';

async function mountStage(tier: StageView['tier']): Promise<StageView> {
  const view = new StageView();
  view.view = 'player';
  view.tier = tier;
  view.props = defaultStageProps();
  view.style.cssText = 'width: 320px; height: 240px';
  const ready = new Promise((res) => view.addEventListener('renderer-ready', res, { once: true }));
  document.body.append(view);
  await ready;
  await view.updateComplete;
  return view;
}

describe('stage view: performance tier', () => {
  it('a pinned tier reaches the renderer and shows on the element', async () => {
    const view = await mountStage('low');
    assertEqual(view.renderer!.tier, 'low', 'renderer.tier');
    assertEqual(view.dataset.tier, 'low', 'dataset.tier');
    assertEqual(view.dataset.tierMode, 'fixed', 'dataset.tierMode');
    view.tier = 'medium';
    await view.updateComplete;
    assertEqual(view.renderer!.tier, 'medium', 'renderer.tier');
    assertEqual(view.dataset.tier, 'medium', 'dataset.tier');
    view.remove();
  });

  it('`auto` (the player display) starts high and follows frame time; pinning takes it back', async () => {
    const view = await mountStage('auto');
    assertEqual(view.renderer!.tierMode, 'auto', 'renderer.tierMode');
    assertEqual(view.dataset.tier, 'high', 'dataset.tier');
    assertEqual(view.dataset.tierMode, 'auto', 'dataset.tierMode');
    view.tier = 'low';
    await view.updateComplete;
    assertEqual(view.renderer!.stats().tierMode, 'fixed', 'renderer.stats().tierMode');
    assertEqual(view.dataset.tier, 'low', 'dataset.tier');
    assertEqual(view.dataset.tierMode, 'fixed', 'dataset.tierMode');
    view.remove();
  });

  it('the GM editor’s view (no tier given) is pinned high', async () => {
    const view = new StageView();
    const ready = new Promise((res) => view.addEventListener('renderer-ready', res, { once: true }));
    document.body.append(view);
    await ready;
    assertEqual(view.dataset.tier, 'high', 'dataset.tier');
    assertEqual(view.dataset.tierMode, 'fixed', 'dataset.tierMode');
    view.remove();
  });
});
