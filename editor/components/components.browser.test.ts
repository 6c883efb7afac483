/**
 * The editor's own components in real Chromium: the scene list's gestures
 * become the right events, the inspector mounts the generated panels the
 * registry implies, error screens say what to do, and keyboard shortcuts map
 * to the right commands.
 */
import { registry } from '../../engine/generated/schemas';
import { defaultStageProps } from '../../engine/generated/stageProps';
import { panels } from '../generated/panels';
import '../generated/panels';
import { assert, assertEqual, RecordingSink } from '../inspector/testing';

/** Deep equality; the failure message carries both values. */
const eq = (actual: unknown, expected: unknown) => assertEqual(actual, expected, 'not equal');
import { keyCommand } from '../pages/gm-editor-keys';
import type { InspectorPanel } from '../inspector';
import { PLUGINS, TOOLS } from '../state/plugins';
import { ErrorScreen } from './error-screen';
import { HelpPanel } from './help-panel';
import { ToolBar } from './tool-bar';
import { InspectorColumn } from './inspector-column';
import { SceneList, type SceneListDetail } from './scene-list';

const SCENES = [
  { id: 'a', name: 'Crypt' },
  { id: 'b', name: 'Forest' },
  { id: 'c', name: 'Tower' },
];

async function mountList(): Promise<{
  list: SceneList;
  events: { type: string; detail: SceneListDetail }[];
}> {
  const list = new SceneList();
  list.scenes = SCENES;
  list.selected = 'b';
  list.active = 'a';
  const events: { type: string; detail: SceneListDetail }[] = [];
  for (const type of [
    'scene-select',
    'scene-add',
    'scene-rename',
    'scene-duplicate',
    'scene-delete',
    'scene-move',
    'scene-show',
  ])
    list.addEventListener(type, (e) =>
      events.push({ type, detail: (e as CustomEvent<SceneListDetail>).detail }),
    );
  document.body.append(list);
  await list.updateComplete;
  return { list, events };
}

const q = <T extends Element>(root: Element, sel: string): T => {
  const el = root.shadowRoot!.querySelector<T>(sel);
  assert(el, `no ${sel}`);
  return el;
};

describe('scene list', () => {
  afterEach(() => document.body.replaceChildren());

  it('shows every scene, which one is selected and which one players see', async () => {
    const { list } = await mountList();
    const items = [...list.shadowRoot!.querySelectorAll('li')];
    eq(
      items.map((li) => li.dataset.scene),
      ['a', 'b', 'c'],
    );
    eq(q(list, 'li[data-scene="b"]').getAttribute('aria-current'), 'true');
    assert(q(list, 'li[data-scene="a"] .live'), 'the active scene is marked live');
  });

  it("shows a scene's thumbnail, a placeholder where there is none, and selects on a click on either", async () => {
    const { list, events } = await mountList();
    // A 1×1 PNG: the list shows whatever picture the URL holds.
    const pixel =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
    list.scenes = [{ ...SCENES[0]!, thumbnail: pixel }, SCENES[1]!, SCENES[2]!];
    await list.updateComplete;
    eq(q<HTMLImageElement>(list, 'li[data-scene="a"] img.thumb').getAttribute('src'), pixel);
    eq(list.shadowRoot!.querySelector('li[data-scene="b"] img'), null);
    assert(q(list, 'li[data-scene="b"] span.thumb'), 'a scene without a thumbnail keeps its place');
    q<HTMLElement>(list, 'li[data-scene="a"] .thumb').click();
    q<HTMLElement>(list, 'li[data-scene="c"] .thumb').click();
    eq(
      events.map((e) => [e.type, e.detail.id]),
      [
        ['scene-select', 'a'],
        ['scene-select', 'c'],
      ],
    );
  });

  it('turns clicks into select, show, duplicate and add events', async () => {
    const { list, events } = await mountList();
    q<HTMLElement>(list, 'li[data-scene="c"] .name').click();
    q<HTMLButtonElement>(list, '[data-action="show"]').click();
    q<HTMLButtonElement>(list, '[data-action="duplicate"]').click();
    q<HTMLButtonElement>(list, '[data-action="add"]').click();
    eq(
      events.map((e) => [e.type, e.detail.id]),
      [
        ['scene-select', 'c'],
        ['scene-show', 'b'],
        ['scene-duplicate', 'b'],
        ['scene-add', ''],
      ],
    );
  });

  it('renames on Enter with the trimmed name, and Escape cancels', async () => {
    const { list, events } = await mountList();
    q<HTMLButtonElement>(list, '[data-action="rename"]').click();
    await list.updateComplete;
    let input = q<HTMLInputElement>(list, 'li input');
    input.value = '  Old forest ';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await list.updateComplete;
    eq(events, [{ type: 'scene-rename', detail: { id: 'b', name: 'Old forest' } }]);
    q<HTMLButtonElement>(list, '[data-action="rename"]').click();
    await list.updateComplete;
    input = q<HTMLInputElement>(list, 'li input');
    input.value = 'Never mind';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await list.updateComplete;
    eq(events.length, 1);
  });

  it('deletes only after the person confirms', async () => {
    const { list, events } = await mountList();
    const original = window.confirm;
    try {
      window.confirm = () => false;
      q<HTMLButtonElement>(list, '[data-action="delete"]').click();
      eq(events.length, 0);
      window.confirm = () => true;
      q<HTMLButtonElement>(list, '[data-action="delete"]').click();
      eq(events, [{ type: 'scene-delete', detail: { id: 'b' } }]);
    } finally {
      window.confirm = original;
    }
  });

  it('never offers to delete the last scene', async () => {
    const { list } = await mountList();
    list.scenes = [SCENES[1]!];
    await list.updateComplete;
    assert(q<HTMLButtonElement>(list, '[data-action="delete"]').disabled, 'delete is disabled');
  });

  it('reorders by drag and drop: the dropped scene moves to the gap it was dropped in', async () => {
    const { list, events } = await mountList();
    const transfer = new DataTransfer();
    const last = q<HTMLElement>(list, 'li[data-scene="c"]');
    const first = q<HTMLElement>(list, 'li[data-scene="a"]');
    last.dispatchEvent(new DragEvent('dragstart', { dataTransfer: transfer, bubbles: true, composed: true }));
    await list.updateComplete;
    const box = first.getBoundingClientRect();
    first.dispatchEvent(
      new DragEvent('dragover', {
        dataTransfer: transfer,
        bubbles: true,
        cancelable: true,
        clientY: box.top + 1,
      }),
    );
    await list.updateComplete;
    first.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    eq(events, [{ type: 'scene-move', detail: { id: 'c', index: 0 } }]);
  });
});

describe('inspector column', () => {
  afterEach(() => document.body.replaceChildren());

  for (const collection of registry.collections)
    it(`mounts every scene plugin's panel with its group of props, and the selected ${collection.key} member's panel alone`, async () => {
      const column = new InspectorColumn();
      const props = defaultStageProps() as unknown as Record<string, Record<string, unknown>>;
      const member = Object.fromEntries(collection.props.map((p) => [p.key, p.decl.default]));
      props[collection.key] = { m1: member };
      column.props = props as unknown as ReturnType<typeof defaultStageProps>;
      column.sink = new RecordingSink(registry);
      column.selection = { collection: collection.key, id: 'm1' };
      document.body.append(column);
      await column.updateComplete;
      for (const entry of panels) {
        const plugin = registry.plugin(entry.plugin)!;
        const panel = column.shadowRoot!.querySelector(entry.tag) as InspectorPanel | null;
        if (plugin.attachTo === 'collection' && plugin !== collection) {
          eq(panel, null);
          continue;
        }
        assert(panel, `panel ${entry.tag} is mounted`);
        if (plugin.attachTo === 'scene') eq(panel.values, props[plugin.key]);
        else {
          eq(panel.memberId, 'm1');
          eq(panel.values, member);
        }
        assert(panel.sink === column.sink, `${entry.tag} edits reach the column's sink`);
      }
    });

  it('shows no member panel without a selection', async () => {
    const column = new InspectorColumn();
    column.props = defaultStageProps();
    document.body.append(column);
    await column.updateComplete;
    for (const entry of panels.filter((e) => registry.plugin(e.plugin)?.attachTo === 'collection'))
      eq(column.shadowRoot!.querySelector(entry.tag), null);
  });
});

describe('error screen', () => {
  afterEach(() => document.body.replaceChildren());

  it('says what happened and offers a retry when one can help', async () => {
    const screen = new ErrorScreen();
    screen.kind = 'expired';
    let retried = 0;
    screen.retry = () => retried++;
    document.body.append(screen);
    await screen.updateComplete;
    assert(/expired/i.test(q(screen, 'h1').textContent ?? ''), 'the title names the problem');
    q<HTMLButtonElement>(screen, 'button').click();
    eq(retried, 1);
  });
});

describe('keyboard shortcuts', () => {
  const key = (init: KeyboardEventInit, target?: HTMLElement) => {
    let action: ReturnType<typeof keyCommand>;
    const host = target ?? document.body;
    host.addEventListener('keydown', (e) => (action = keyCommand(e)), { once: true });
    host.dispatchEvent(new KeyboardEvent('keydown', { ...init, bubbles: true, composed: true }));
    return action;
  };

  it('maps Ctrl/Cmd+Z to undo and Shift+Ctrl/Cmd+Z to redo', () => {
    eq(key({ key: 'z', ctrlKey: true }), { kind: 'command', command: 'undo' });
    eq(key({ key: 'z', metaKey: true }), { kind: 'command', command: 'undo' });
    eq(key({ key: 'Z', ctrlKey: true, shiftKey: true }), { kind: 'command', command: 'redo' });
  });

  it('rotates and zooms the view with [ ] + -, which no tool takes', () => {
    for (const k of ['[', ']', '+', '-']) eq(key({ key: k })?.kind, 'view');
    for (const k of ['[', ']', '+', '-', 'f', '?']) assert(!TOOLS.some((t) => t.key === k), `${k} is free`);
  });

  it('selects tools by their keys, but not while typing in a field', () => {
    const tool = TOOLS.find((t) => t.key)!;
    eq(key({ key: tool.key }), { kind: 'tool', tool: tool.id });
    const input = document.createElement('input');
    document.body.append(input);
    eq(key({ key: tool.key }, input), undefined);
    eq(key({ key: 'z', ctrlKey: true }, input), undefined);
    input.remove();
  });
});

describe('toolbar and help panel', () => {
  it('the toolbar has one button per registered tool, in order, the active one pressed', async () => {
    const bar = new ToolBar();
    bar.tool = TOOLS[1]!.id;
    document.body.append(bar);
    await bar.updateComplete;
    const buttons = [...bar.renderRoot.querySelectorAll<HTMLButtonElement>('button[data-tool]')];
    eq(
      buttons.map((b) => b.dataset.tool),
      TOOLS.map((t) => t.id),
    );
    eq(
      buttons.map((b) => b.getAttribute('aria-pressed')),
      TOOLS.map((t) => String(t.id === TOOLS[1]!.id)),
    );
    bar.remove();
  });

  it("the help panel lists every tool's key and every line the plugins add", async () => {
    const help = new HelpPanel();
    document.body.append(help);
    await help.updateComplete;
    const text = help.renderRoot.textContent ?? '';
    for (const t of TOOLS.filter((t) => t.key)) assert(text.includes(`${t.label} tool`), t.id);
    const lines = PLUGINS.flatMap((r) => r.help ?? []);
    assert(lines.length > 0, 'plugins add help lines');
    for (const l of lines) assert(text.includes(l.does), l.does);
    help.remove();
  });
});
