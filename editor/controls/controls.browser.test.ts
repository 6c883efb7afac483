/** The controls on their own, in real Chromium: the kind map, the edit protocol, re-pointing. */
import { sendKeys } from '@web/test-runner-commands';
import type { ControlKind } from '../../engine/schema';
import { assert, assertEqual } from '../inspector/testing';
import {
  controlElements,
  controlTags,
  type ControlElement,
  type NumberControl,
  type PointControl,
  type SliderControl,
} from '.';

type Heard = { type: string; path: string; value?: unknown };

/** Mounts a control and records the events it emits, in order. */
async function mount<E extends ControlElement<unknown>>(tag: string, setup: (el: E) => void) {
  const el = document.createElement(tag) as E;
  setup(el);
  const heard: Heard[] = [];
  for (const type of ['edit-start', 'value-input', 'edit-end'] as const)
    el.addEventListener(type, (e) =>
      heard.push({
        type,
        path: e.detail.path.join('.'),
        ...('value' in e.detail ? { value: e.detail.value } : {}),
      }),
    );
  document.body.append(el);
  await el.updateComplete;
  return { el, heard };
}

const input = (el: ControlElement<unknown>, id: string) => {
  const found = el.shadowRoot!.querySelector<HTMLInputElement>(`#${id}`);
  assert(found, `#${id}`);
  return found;
};

afterEach(() => {
  for (const el of document.body.querySelectorAll('*'))
    if (el instanceof HTMLElement && el.shadowRoot) el.remove();
});

describe('inspector controls', () => {
  it('define every control kind as the element class the kind map names', () => {
    for (const kind of Object.keys(controlTags) as ControlKind[])
      assertEqual(customElements.get(controlTags[kind]) === controlElements[kind], true, `${kind} element`);
  });

  it('hidden renders nothing', async () => {
    const { el } = await mount(controlTags.hidden, (c) => {
      c.label = 'Invisible';
      c.value = 1;
    });
    assertEqual(el.shadowRoot!.textContent?.trim() ?? '', '', 'hidden control content');
  });

  it('a point edit from x to y commits x on leaving it and carries the typed x into the y edit', async () => {
    const { el, heard } = await mount<PointControl>(controlTags.point, (c) => {
      c.path = ['plugin', 'where'];
      c.label = 'Where';
      c.value = { x: 1, y: 2 };
    });
    const x = input(el, 'input');
    x.focus();
    x.value = '';
    await sendKeys({ type: '5' });
    await sendKeys({ press: 'Tab' });
    const y = input(el, 'y');
    assertEqual(el.shadowRoot!.activeElement, y, 'Tab moved to y');
    y.value = '';
    await sendKeys({ type: '7' });
    y.blur();
    await el.updateComplete;
    assertEqual(
      heard,
      [
        { type: 'edit-start', path: 'plugin.where' },
        { type: 'value-input', path: 'plugin.where', value: { x: 5, y: 2 } },
        { type: 'edit-end', path: 'plugin.where' },
        { type: 'edit-start', path: 'plugin.where' },
        { type: 'value-input', path: 'plugin.where', value: { x: 5, y: 7 } },
        { type: 'edit-end', path: 'plugin.where' },
      ],
      'events',
    );
  });

  it('a slider drag is one edit that ends on change, and the readout follows the slider', async () => {
    const { el, heard } = await mount<SliderControl>(controlTags.slider, (c) => {
      c.path = ['plugin', 'amount'];
      c.min = 0;
      c.max = 10;
      c.step = 1;
      c.value = 2;
    });
    const range = input(el, 'input');
    range.focus();
    for (const v of ['3', '4']) {
      range.value = v;
      range.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    }
    range.dispatchEvent(new Event('change', { bubbles: true }));
    await el.updateComplete;
    assertEqual(input(el, 'readout').value, '4', 'readout follows the drag');
    assertEqual(
      heard.map((h) => [h.type, h.value]),
      [
        ['edit-start', undefined],
        ['value-input', 3],
        ['value-input', 4],
        ['edit-end', undefined],
      ],
      'events',
    );
  });

  it('pointed at another property while focused, it ends the old edit and drops the old draft', async () => {
    const { el, heard } = await mount<ControlElement<string>>(controlTags.text, (c) => {
      c.path = ['things', 'a', 'name'];
      c.value = 'first';
    });
    const field = input(el, 'input');
    field.focus();
    field.value = '';
    await sendKeys({ type: 'draft' });
    el.path = ['things', 'b', 'name'];
    el.value = 'second';
    await el.updateComplete;
    assertEqual(heard.at(-1), { type: 'edit-end', path: 'things.a.name' }, 'old edit ended');
    assertEqual(field.value, 'second', 'shows the new property at once, though still focused');
    await sendKeys({ type: '!' });
    assertEqual(
      heard.at(-1),
      { type: 'value-input', path: 'things.b.name', value: 'second!' },
      'typing edits the new one',
    );
  });

  it('a typed number is committed after a pause in typing, without Enter or blur, and typing goes on', async () => {
    const { el, heard } = await mount<NumberControl>(controlTags.number, (c) => {
      c.path = ['plugin', 'count'];
      c.min = 0;
      c.max = 1024;
      c.value = 3;
    });
    const field = input(el, 'input');
    field.focus();
    field.value = '';
    const ended = nextEvent(el, 'edit-end');
    await sendKeys({ type: '12' });
    await ended;
    assertEqual(
      heard.map((h) => [h.type, h.value]),
      [
        ['edit-start', undefined],
        ['value-input', 1],
        ['value-input', 12],
        ['edit-end', undefined],
      ],
      'one edit, ended (written) while still focused',
    );
    assertEqual(el.shadowRoot!.activeElement, field, 'focus stays in the field');
    await sendKeys({ type: '5' });
    assertEqual(
      heard.slice(-2),
      [
        { type: 'edit-start', path: 'plugin.count' },
        { type: 'value-input', path: 'plugin.count', value: 125 },
      ],
      'more typing starts a new edit',
    );
  });

  it('99999999 typed into a field with max 1024 commits 1024, shows it and says so', async () => {
    const { el, heard } = await mount<NumberControl>(controlTags.number, (c) => {
      c.path = ['plugin', 'size'];
      c.min = 4;
      c.max = 1024;
      c.value = 32;
    });
    const field = input(el, 'input');
    field.focus();
    field.value = '';
    const ended = nextEvent(el, 'edit-end');
    await sendKeys({ type: '99999999' });
    await ended;
    await el.updateComplete;
    const values = heard.filter((h) => h.type === 'value-input').map((h) => h.value);
    assertEqual(values.at(-1), 1024, 'the bound is committed');
    assert(
      values.every((v) => typeof v === 'number' && v >= 4 && v <= 1024),
      `nothing out of range sent: ${JSON.stringify(values)}`,
    );
    assertEqual(field.value, '1024', 'the field shows the committed value');
    assertEqual(
      el.shadowRoot!.querySelector('.note')?.textContent,
      'Set to 1024, the maximum.',
      'visible note',
    );
    await sendKeys({ press: 'Backspace' });
    await el.updateComplete;
    assertEqual(el.shadowRoot!.querySelector('.note'), null, 'the note goes with the next keystroke');
  });

  it('Enter commits the clamped value at once', async () => {
    const { el, heard } = await mount<NumberControl>(controlTags.number, (c) => {
      c.path = ['plugin', 'size'];
      c.min = 4;
      c.max = 1024;
      c.value = 32;
    });
    const field = input(el, 'input');
    field.focus();
    field.value = '';
    await sendKeys({ type: '2' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    assertEqual(
      heard.map((h) => [h.type, h.value]),
      [
        ['edit-start', undefined],
        ['value-input', 4],
        ['edit-end', undefined],
      ],
      'the minimum, in one edit',
    );
  });
});

/** Resolves when `el` next emits `type` (no timing involved). */
function nextEvent(el: EventTarget, type: string): Promise<void> {
  return new Promise((resolve) => el.addEventListener(type, () => resolve(), { once: true }));
}
