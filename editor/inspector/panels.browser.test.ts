/**
 * The generated inspector panels in real Chromium, driven by the registry:
 * every panel, every visible property, whatever the schemas declare.
 */
import { sendKeys } from '@web/test-runner-commands';
import { registry } from '../../engine/generated/schemas';
import type { ControlKind, PluginInfo, PropInfo } from '../../engine/schema';
import { ControlElement, controlTags } from '../controls';
import { panels } from '../generated/panels';
import type { InspectorPanel } from '.';
import { assert, assertEqual, RecordingSink } from './testing';

const MEMBER = 'member-1';
type Values = Record<string, unknown>;

const pluginsWithPanels = panels.map((entry) => {
  const plugin = registry.plugin(entry.plugin);
  assert(plugin, `panel index names unknown plugin ${entry.plugin}`);
  return { entry, plugin };
});
const visibleProps = (plugin: PluginInfo) => plugin.props.filter((prop) => prop.control !== 'hidden');
const defaults = (plugin: PluginInfo): Values =>
  Object.fromEntries(plugin.props.map((prop) => [prop.key, prop.decl.default]));
const pathOf = (prop: PropInfo, member = MEMBER): string[] =>
  prop.plugin.attachTo === 'collection' ? [prop.plugin.key, member, prop.key] : [prop.plugin.key, prop.key];

async function mount(plugin: PluginInfo, tag: string) {
  const panel = document.createElement(tag) as InspectorPanel<Values>;
  const sink = new RecordingSink(registry);
  panel.values = defaults(plugin);
  panel.sink = sink;
  if (plugin.attachTo === 'collection') panel.memberId = MEMBER;
  document.body.append(panel);
  await settle(panel);
  return { panel, sink };
}

/** Waits until the panel and every control in it have rendered. */
async function settle(panel: InspectorPanel<Values>): Promise<void> {
  await panel.updateComplete;
  await Promise.all(controlsOf(panel).map((c) => c.updateComplete));
}

function controlsOf(panel: InspectorPanel<Values>): ControlElement<unknown>[] {
  return [...panel.shadowRoot!.querySelectorAll('*')].filter(
    (el): el is ControlElement<unknown> => el instanceof ControlElement,
  );
}

function controlFor(panel: InspectorPanel<Values>, prop: PropInfo, member = MEMBER): ControlElement<unknown> {
  const path = pathOf(prop, member).join('/');
  const control = controlsOf(panel).find((c) => c.path.join('/') === path);
  assert(control, `no control bound to ${path}`);
  return control;
}

const part = <E extends Element = HTMLInputElement>(
  control: ControlElement<unknown>,
  selector: string,
): E => {
  const el = control.shadowRoot!.querySelector<E>(selector);
  assert(el, `${control.localName} has no ${selector}`);
  return el;
};

/** What each kind of control shows, read back from its DOM as a property value. */
const shownValue: { [K in ControlKind]: (control: ControlElement<unknown>) => unknown } = {
  slider: (c) => {
    const range = part(c, '#input').value;
    assertEqual(part(c, '#readout').value, range, `${c.label}: readout matches slider`);
    return Number(range);
  },
  number: (c) => Number(part(c, '#input').value),
  toggle: (c) => part(c, '#input').checked,
  color: (c) => part(c, '#input').value,
  select: (c) => part<HTMLSelectElement>(c, '#input').value,
  text: (c) => part(c, '#input').value,
  textarea: (c) => part<HTMLTextAreaElement>(c, '#input').value,
  file: (c) => {
    const name = part<HTMLElement>(c, '.name');
    return name.textContent?.trim() === 'None' ? '' : name.title;
  },
  point: (c) => ({ x: Number(part(c, '#input').value), y: Number(part(c, '#y').value) }),
  hidden: () => undefined,
};

/** Two valid values of a property that differ from each other (and, the first, from its default). */
function twoValues(prop: PropInfo): [unknown, unknown] {
  const d = prop.decl;
  switch (d.kind) {
    case 'number':
    case 'integer': {
      const lo = d.min ?? d.default - 10;
      const hi = d.max ?? d.default + 10;
      return d.default === hi ? [lo, hi] : [hi, lo];
    }
    case 'point': {
      const lo = d.min ?? d.default.x - 10;
      const hi = d.max ?? d.default.x + 10;
      const [a, b] = d.default.x === hi ? [lo, hi] : [hi, lo];
      return [
        { x: a, y: d.default.y },
        { x: b, y: b },
      ];
    }
    case 'boolean':
      return [!d.default, d.default];
    case 'enum': {
      const others = d.values.filter((v) => v !== d.default);
      return [others[0] ?? d.default, d.default];
    }
    case 'color':
      return [d.default === '#123456' ? '#654321' : '#123456', '#abcdef'];
    case 'string':
      return ['typed here', 'remote text'];
    case 'asset':
      return ['/uploads/a.png', '/uploads/b.png'];
  }
}

/** The input a person types in for controls that take typing. */
const typingInput: Partial<Record<ControlKind, string>> = {
  slider: '#readout',
  number: '#input',
  text: '#input',
  textarea: '#input',
  point: '#input',
};

/** Types `value` into the control's typing input like a person: focus, clear, keystrokes. */
async function typeValue(
  control: ControlElement<unknown>,
  prop: PropInfo,
  value: unknown,
): Promise<HTMLInputElement> {
  const input = part(control, typingInput[prop.control]!);
  input.focus();
  input.value = '';
  const text = prop.control === 'point' ? String((value as { x: number }).x) : String(value);
  await sendKeys({ type: text });
  await control.updateComplete;
  return input;
}

/** Makes the control emit `value` the way a person would; returns once it has. */
async function enter(control: ControlElement<unknown>, prop: PropInfo, value: unknown): Promise<void> {
  switch (prop.control) {
    case 'toggle':
      part(control, '#input').click();
      break;
    case 'select':
    case 'color': {
      const input = part<HTMLInputElement | HTMLSelectElement>(control, '#input');
      input.focus();
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
      break;
    }
    default:
      await typeValue(control, prop, value);
  }
  await control.updateComplete;
}

afterEach(() => {
  for (const el of document.body.querySelectorAll('*'))
    if (el instanceof HTMLElement && el.shadowRoot) el.remove();
});

describe('generated inspector panels', () => {
  it('exist for every plugin with a visible property', () => {
    assertEqual(
      panels.map((p) => p.plugin),
      registry.plugins.filter((p) => visibleProps(p).length > 0).map((p) => p.name),
      'panel list',
    );
  });

  for (const { entry, plugin } of pluginsWithPanels) {
    describe(`<${entry.tag}>`, () => {
      it('renders one control per visible property, of its kind, with its label, range and value', async () => {
        const { panel } = await mount(plugin, entry.tag);
        const controls = controlsOf(panel);
        assertEqual(controls.length, visibleProps(plugin).length, 'control count');
        for (const prop of visibleProps(plugin)) {
          const control = controlFor(panel, prop);
          assertEqual(control.localName, controlTags[prop.control], `${prop.id} control`);
          assertEqual(control.label, prop.label, `${prop.id} label`);
          assertEqual(shownValue[prop.control](control), prop.decl.default, `${prop.id} shown value`);
          const d = prop.decl;
          if (
            (d.kind === 'number' || d.kind === 'integer' || d.kind === 'point') &&
            prop.control !== 'text'
          ) {
            const input = part(control, '#input');
            if (d.min !== undefined) assertEqual(input.min, String(d.min), `${prop.id} min`);
            if (d.max !== undefined) assertEqual(input.max, String(d.max), `${prop.id} max`);
            if (d.step !== undefined) assertEqual(input.step, String(d.step), `${prop.id} step`);
            if (d.unit)
              assert(control.shadowRoot!.textContent!.includes(d.unit), `${prop.id} shows its unit`);
          }
          if (d.kind === 'enum' && prop.control === 'select')
            assertEqual(
              [...part<HTMLSelectElement>(control, '#input').options].map((o) => o.value),
              d.values,
              `${prop.id} options`,
            );
        }
      });

      it('shows its plugin label as a heading unless told not to', async () => {
        const { panel } = await mount(plugin, entry.tag);
        assertEqual(panel.shadowRoot!.querySelector('h3')?.textContent, plugin.label, 'heading');
        panel.hideHeading = true;
        await panel.updateComplete;
        assertEqual(panel.shadowRoot!.querySelector('h3'), null, 'no heading with hide-heading');
        assertEqual(controlsOf(panel).length, visibleProps(plugin).length, 'controls stay');
      });

      it("sends each input to queuePropertyUpdate at the property's path, inside begin/end", async () => {
        const { panel, sink } = await mount(plugin, entry.tag);
        for (const prop of visibleProps(plugin).filter((p) => p.control !== 'file')) {
          const control = controlFor(panel, prop);
          const [value] = twoValues(prop);
          sink.calls.length = 0;
          await enter(control, prop, value);
          (control.shadowRoot!.activeElement as HTMLElement | null)?.blur();
          await control.updateComplete;
          const updates = sink.updates;
          assert(updates.length > 0, `${prop.id}: no update reached the sink`);
          assertEqual(
            updates.at(-1),
            { kind: 'update', path: pathOf(prop), value, ok: true },
            `${prop.id} update`,
          );
          assertEqual(sink.calls[0], { kind: 'begin', path: pathOf(prop) }, `${prop.id} begins first`);
          assertEqual(sink.calls.at(-1), { kind: 'end', path: pathOf(prop) }, `${prop.id} ends last`);
        }
      });

      it('clamps an out-of-range typed value to its bound with a note, never sending what the registry refuses', async () => {
        const prop = visibleProps(plugin).find(
          (p) =>
            (p.control === 'slider' || p.control === 'number') && 'max' in p.decl && p.decl.max !== undefined,
        );
        if (!prop || !('max' in prop.decl) || prop.decl.max === undefined) return;
        const { panel, sink } = await mount(plugin, entry.tag);
        const control = controlFor(panel, prop);
        const input = await typeValue(control, prop, prop.decl.max * 100000 + 9);
        input.blur();
        await control.updateComplete;
        assertEqual(
          sink.updates.at(-1),
          { kind: 'update', path: pathOf(prop), value: prop.decl.max, ok: true },
          `${prop.id} committed the maximum`,
        );
        assert(
          sink.updates.every((u) => u.ok),
          `${prop.id}: no refused update was sent`,
        );
        const note = control.shadowRoot!.querySelector('.note')?.textContent ?? '';
        assert(note.includes(String(prop.decl.max)), `${prop.id} says it was clamped, got "${note}"`);
      });

      it('shows the reason beside the control when the sink refuses a value, and clears it once valid', async () => {
        const prop = visibleProps(plugin).find((p) => typingInput[p.control]);
        if (!prop) return;
        const { panel, sink } = await mount(plugin, entry.tag);
        const control = controlFor(panel, prop);
        const [value] = twoValues(prop);
        // The store can refuse what the control thinks is fine (a deleted member, a read-only view).
        const accept = sink.queuePropertyUpdate.bind(sink);
        sink.queuePropertyUpdate = (path) => ({ ok: false, reason: `${path.join('.')}: refused here` });
        await typeValue(control, prop, value);
        const error = control.shadowRoot!.querySelector('.error')?.textContent ?? '';
        assertEqual(error, 'refused here', `${prop.id} shows the refusal without repeating the path`);
        sink.queuePropertyUpdate = accept;
        await typeValue(control, prop, value);
        assert(!control.shadowRoot!.querySelector('.error'), `${prop.id} error cleared after a valid value`);
      });

      it("keeps a focused control's own text when a remote update arrives, and shows the update after blur", async () => {
        const { panel } = await mount(plugin, entry.tag);
        for (const prop of visibleProps(plugin).filter((p) => typingInput[p.control])) {
          const control = controlFor(panel, prop);
          const [typed, remote] = twoValues(prop);
          const input = await typeValue(control, prop, typed);
          const typedText = input.value;

          panel.values = { ...panel.values, [prop.key]: remote };
          await settle(panel);
          assertEqual(control.value, remote, `${prop.id} control received the remote value`);
          assertEqual(input.value, typedText, `${prop.id} focused input kept what was typed`);

          input.blur();
          await control.updateComplete;
          assertEqual(
            shownValue[prop.control](control),
            remote,
            `${prop.id} shows the remote value after blur`,
          );
        }
      });

      if (plugin.attachTo === 'collection')
        it('edits the member named by memberId, and nothing without one', async () => {
          const { panel, sink } = await mount(plugin, entry.tag);
          panel.memberId = 'member-2';
          await settle(panel);
          const prop = visibleProps(plugin).find((p) => typingInput[p.control]);
          assert(prop, 'a typed property');
          await enter(controlFor(panel, prop, 'member-2'), prop, twoValues(prop)[0]);
          assertEqual(sink.updates.at(-1)?.path, [plugin.key, 'member-2', prop.key], 'path names the member');
          panel.memberId = '';
          await panel.updateComplete;
          assertEqual(controlsOf(panel).length, 0, 'no controls without a member');
        });
    });
  }

  it('hands a dropped file to the editor with the property path, and refuses a wrong type', async () => {
    const found = pluginsWithPanels.flatMap(({ entry, plugin }) =>
      visibleProps(plugin)
        .filter((p) => p.control === 'file')
        .map((prop) => ({ entry, plugin, prop })),
    )[0];
    if (!found) return;
    const { entry, plugin, prop } = found;
    const { panel } = await mount(plugin, entry.tag);
    const control = controlFor(panel, prop);
    const accept = 'accept' in prop.decl && prop.decl.accept?.[0] ? prop.decl.accept[0] : 'image/png';
    const picked: { path: readonly string[]; file: File }[] = [];
    document.body.addEventListener('file-select', (e) => picked.push(e.detail), { once: true });

    const drop = (file: File) => {
      const data = new DataTransfer();
      data.items.add(file);
      part<HTMLElement>(control, '.drop').dispatchEvent(
        new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
      );
    };
    drop(new File(['x'], 'map.bin', { type: accept.replace('*', 'png') }));
    assertEqual(picked.length, 1, 'file-select fired');
    assertEqual(picked[0]!.path, pathOf(prop), 'file-select path');
    assertEqual(picked[0]!.file.name, 'map.bin', 'the dropped file');

    drop(new File(['x'], 'notes.txt', { type: 'text/x-nothing-accepts-this' }));
    await control.updateComplete;
    assertEqual(picked.length, 1, 'a refused file is not handed on');
    assert(control.shadowRoot!.querySelector('.error')?.textContent?.includes('notes.txt'), 'refusal shown');
  });
});
