import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry, definePlugin, p, SchemaError } from '../schema';
import { registry } from '../generated/schemas';
import { checkCustomControls, checkPluginFolders, checkRuntimes, listPluginFolders } from './discover';
import { emitPanels } from './emit/panels';
import { emitRoomPlugins } from './emit/plugins';

const [first, second] = registry.plugins.map((p) => p.name) as [string, string];
const tmps: string[] = [];
afterEach(() => {
  for (const t of tmps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tablestage-discover-'));
  tmps.push(root);
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), contents);
  }
  return root;
}

/** The message a SchemaError thrown by `fn` carries. */
function schemaError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaError);
    return (e as Error).message;
  }
  throw new Error('no error thrown');
}

describe('codegen plugin discovery', () => {
  it('finds index.ts and room.ts per folder and lists rooms in registry order', () => {
    const root = tree({
      [`plugins/${second}/index.ts`]: '',
      [`plugins/${second}/room.ts`]: '',
      [`plugins/${first}/room.ts`]: '',
      'plugins/README.md': '',
    });
    const folders = checkPluginFolders(registry, listPluginFolders(root));
    expect([...folders.runtimes]).toEqual([second]);
    expect(emitRoomPlugins(registry, folders)).toContain(
      `import ${first} from '../../plugins/${first}/room';\nimport ${second} from '../../plugins/${second}/room';`,
    );
    expect(emitRoomPlugins(registry, folders)).toContain(
      `export const roomPlugins: readonly RoomPlugin[] = [${first}, ${second}];`,
    );
  });

  it('refuses a plugin folder named like no schema, naming the file', () => {
    const root = tree({ 'plugins/nosuchPlugin/index.ts': '' });
    expect(schemaError(() => checkPluginFolders(registry, listPluginFolders(root)))).toMatch(
      /^plugins\/nosuchPlugin\/index\.ts: no schema declares a plugin named "nosuchPlugin"/,
    );
  });

  it("refuses a runtime whose name differs from its schema's", () => {
    const file = `plugins/${first}/index.ts`;
    expect(schemaError(() => checkRuntimes([{ file, folder: first, runtime: { name: second } }]))).toMatch(
      new RegExp(`^plugins/${first}/index\\.ts: the runtime's name "${second}" differs`),
    );
    expect(schemaError(() => checkRuntimes([{ file, folder: first, runtime: undefined }]))).toMatch(
      /export default definePluginRuntime/,
    );
  });

  it('refuses two tools with the same id, naming both files', () => {
    const tool = { id: 'paint' };
    const message = schemaError(() =>
      checkRuntimes([
        { file: `plugins/${first}/index.ts`, folder: first, runtime: { name: first, tools: [tool] } },
        { file: `plugins/${second}/index.ts`, folder: second, runtime: { name: second, tools: [tool] } },
      ]),
    );
    expect(message).toBe(
      `plugins/${second}/index.ts: tool id "paint" is already used by plugins/${first}/index.ts`,
    );
  });

  describe('custom inspector controls', () => {
    const file = 'schemas/dial.schema.ts';
    const dialRegistry = (customControl: string) =>
      createRegistry([
        {
          file,
          plugin: definePlugin({
            name: 'dial',
            attachTo: 'scene',
            label: 'Dial',
            throttle: 'control',
            props: { angle: p.number(0, { min: 0, max: 360, customControl }) },
          }),
        },
      ]);
    class Knob {}
    const loaded = (controls: unknown) => [
      { file: 'plugins/dial/index.ts', folder: 'dial', runtime: { name: 'dial', controls } },
    ];

    it('accepts a control the runtime registers (a class or a loader) and renders its tag', () => {
      expect(() => checkCustomControls(dialRegistry('knob'), loaded({ knob: Knob }))).not.toThrow();
      expect(() =>
        checkCustomControls(dialRegistry('knob'), loaded({ knob: () => import('./discover') })),
      ).not.toThrow();
      const panel = emitPanels(dialRegistry('knob'))['editor/generated/panels/dial-panel.ts'];
      expect(panel).toContain("<ts-dial-knob-control\n.path=${['dial', 'angle']}");
      expect(panel).toContain('.value=${values.angle}\n></ts-dial-knob-control>');
      expect(panel).not.toContain('ts-slider-control');
    });

    it('refuses a control the runtime does not register, naming the schema file and the runtime', () => {
      for (const controls of [undefined, {}, { other: Knob }, { knob: 'ts-knob' }])
        expect(schemaError(() => checkCustomControls(dialRegistry('knob'), loaded(controls)))).toBe(
          `${file}: dial.angle: customControl "knob" is not registered: plugins/dial/index.ts must list it in \`controls\``,
        );
      // No runtime at all (a schema-only plugin).
      expect(schemaError(() => checkCustomControls(dialRegistry('knob'), []))).toMatch(/is not registered/);
      // Inherited names are not registrations.
      expect(schemaError(() => checkCustomControls(dialRegistry('toString'), loaded({})))).toMatch(
        /not registered/,
      );
    });

    it('refuses a name that cannot become an element tag', () => {
      expect(
        schemaError(() => checkCustomControls(dialRegistry('My-knob'), loaded({ 'My-knob': Knob }))),
      ).toMatch(/^schemas\/dial\.schema\.ts: dial\.angle: customControl "My-knob" must be a camelCase name/);
    });
  });
});
