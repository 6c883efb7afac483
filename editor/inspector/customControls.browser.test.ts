/**
 * A plugin's own inspector control (`customControl` in the schema, `controls`
 * in the runtime) in real Chromium: defined from a test runtime, rendered by a
 * panel whose template is what codegen emits for it (see discover.test.ts),
 * and wired to the sink exactly like a built-in control.
 */
import { sendKeys } from '@web/test-runner-commands';
import { html } from 'lit';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import { createRegistry, definePlugin, p } from '../../engine/schema';
import { definePluginRuntime } from '../../engine/plugin';
import { ControlElement, customControlTag, defineCustomControls } from '../controls';
import { numberText } from '../controls/base';
import { InspectorPanel } from '.';
import { assert, assertEqual, RecordingSink } from './testing';

const registry = createRegistry([
  {
    file: 'schemas/dial.schema.ts',
    plugin: definePlugin({
      name: 'dial',
      attachTo: 'scene',
      label: 'Dial',
      throttle: 'control',
      props: { angle: p.number(0, { min: 0, max: 360, customControl: 'knob' }) },
    }),
  },
]);
const PATH = ['dial', 'angle'];

/** The plugin's control: a plain text field, so the test can type into it. */
class KnobControl extends ControlElement<number> {
  protected override renderInput(): unknown {
    return html`<input
      id="input"
      class="knob"
      type="text"
      .value=${this.bindText('input', numberText(this.shown))}
      @input=${(e: Event) => this.input(Number((e.target as HTMLInputElement).value))}
    />`;
  }
}

// Registered through a loader, as a plugin that keeps its control out of the main bundle would.
const runtime = definePluginRuntime({
  name: 'dial',
  controls: { knob: () => Promise.resolve({ default: KnobControl }) },
});
const TAG = customControlTag('dial', 'knob');

/** What codegen emits for the dial plugin (its markup is asserted in discover.test.ts). */
class DialPanel extends InspectorPanel<{ angle: number }> {
  static override readonly plugin = 'dial';
  static override readonly heading = 'Dial';
  protected override renderControls(values: { angle: number }): unknown {
    const tag = unsafeStatic(TAG);
    return staticHtml`<${tag} .path=${['dial', 'angle']} label="Angle" min="0" max="360" .value=${values.angle}></${tag}>`;
  }
}
customElements.define('ts-dial-test-panel', DialPanel);

async function mount() {
  const panel = document.createElement('ts-dial-test-panel') as DialPanel;
  const sink = new RecordingSink(registry);
  panel.values = { angle: 45 };
  panel.sink = sink;
  document.body.append(panel);
  await panel.updateComplete;
  return { panel, sink };
}

async function typeInto(control: ControlElement<number>, text: string): Promise<HTMLInputElement> {
  const input = control.shadowRoot!.querySelector<HTMLInputElement>('input.knob');
  assert(input, 'the custom control renders its own input');
  input.focus();
  input.value = '';
  await sendKeys({ type: text });
  await control.updateComplete;
  return input;
}

describe('custom inspector controls', () => {
  afterEach(() => document.body.replaceChildren());

  it("renders the plugin's element, defined late, with the panel's path, label and value", async () => {
    const { panel } = await mount();
    const el = panel.shadowRoot!.querySelector(TAG);
    assert(el, `${TAG} is rendered`);
    // Rendered before its loader settled: a plain element until defined, then upgraded in place.
    await defineCustomControls([runtime]);
    assert(el instanceof KnobControl, `${TAG} upgraded to the plugin's class`);
    await el.updateComplete;
    assertEqual(el.path, PATH, 'path');
    assertEqual(el.label, 'Angle', 'label');
    assertEqual(el.shadowRoot!.querySelector('label')?.textContent, 'Angle', 'label shown');
    assertEqual(el.shadowRoot!.querySelector<HTMLInputElement>('input.knob')?.value, '45', 'value shown');
  });

  it('sends its edits to the sink like a built-in control, with validation and focus protection', async () => {
    await defineCustomControls([runtime]);
    const { panel, sink } = await mount();
    const control = panel.shadowRoot!.querySelector(TAG) as KnobControl;
    await control.updateComplete;

    const input = await typeInto(control, '90');
    assertEqual(sink.calls[0], { kind: 'begin', path: PATH }, 'edit begins on focus');
    assertEqual(sink.updates.at(-1), { kind: 'update', path: PATH, value: 90, ok: true }, 'accepted update');

    // A remote value while focused does not rewrite the user's text.
    panel.values = { angle: 10 };
    await panel.updateComplete;
    await control.updateComplete;
    assertEqual(input.value, '90', 'focused text kept');

    await typeInto(control, '999');
    assertEqual(sink.updates.at(-1), { kind: 'update', path: PATH, value: 999, ok: false }, 'refused update');
    const error = control.shadowRoot!.querySelector('.error')?.textContent ?? '';
    assert(error.includes('above the maximum'), `refusal shown beside the control, got "${error}"`);

    input.blur();
    await control.updateComplete;
    assertEqual(sink.calls.at(-1), { kind: 'end', path: PATH }, 'edit ends on blur');
    assertEqual(input.value, '10', 'remote value shown after blur');
  });
});
