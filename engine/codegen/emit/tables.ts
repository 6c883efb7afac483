import type { ColumnInfo, PluginInfo, PropInfo, Registry } from '../../schema';
import { camelCase } from '../../schema';
import { HEADER, savedProps } from './common';

/**
 * drizzle table definitions: the fixed tables (party, game session, scene,
 * scene blobs) plus one column per saved scene property and one table per
 * collection. CHECK constraints back the registry's validation where SQLite
 * can express it.
 */
export function emitTables(registry: Registry): string {
  const out: string[] = [
    HEADER,
    "import { sql } from 'drizzle-orm';",
    'import {',
    '  blob,',
    '  check,',
    '  index,',
    '  integer,',
    '  primaryKey,',
    '  real,',
    '  sqliteTable,',
    '  text,',
    '  type AnySQLiteColumn,',
    "} from 'drizzle-orm/sqlite-core';",
    '',
    '/** A group of friends playing together; the player display follows its active scene. */',
    "export const party = sqliteTable('party', {",
    "  id: text('id').primaryKey(),",
    "  name: text('name').notNull(),",
    "  activeGameSessionId: text('active_game_session_id').references((): AnySQLiteColumn => gameSession.id, {",
    "    onDelete: 'set null',",
    '  }),',
    "  activeSceneId: text('active_scene_id').references((): AnySQLiteColumn => scene.id, { onDelete: 'set null' }),",
    "  paused: integer('paused', { mode: 'boolean' }).notNull().default(false),",
    "  createdAt: integer('created_at').notNull().$defaultFn(() => Date.now()),",
    '  /** Version of the GM link; a token of an older version is refused (\u201cNew GM link\u201d bumps it). */',
    "  gmLinkVersion: integer('gm_link_version').notNull().default(1),",
    '  /** Version of the player link, as above. */',
    "  playerLinkVersion: integer('player_link_version').notNull().default(1),",
    '  /** The plugins\u2019 party settings as JSON, setting id \u2192 value (absent: its default). */',
    "  settings: text('settings').notNull().default('{}'),",
    '});',
    '',
    '/** One evening (or campaign arc) of a party: an ordered set of scenes. */',
    'export const gameSession = sqliteTable(',
    "  'game_session',",
    '  {',
    "    id: text('id').primaryKey(),",
    "    partyId: text('party_id')",
    '      .notNull()',
    "      .references(() => party.id, { onDelete: 'cascade' }),",
    "    name: text('name').notNull(),",
    "    createdAt: integer('created_at').notNull().$defaultFn(() => Date.now()),",
    '  },',
    "  (t) => [index('game_session_party_idx').on(t.partyId)],",
    ');',
    '',
  ];

  out.push('/** A battle-map scene: its own columns, then one column per saved scene property. */');
  out.push('export const scene = sqliteTable(', "  'scene',", '  {');
  out.push("    id: text('id').primaryKey(),");
  out.push("    gameSessionId: text('game_session_id')");
  out.push('      .notNull()');
  out.push("      .references(() => gameSession.id, { onDelete: 'cascade' }),");
  out.push("    name: text('name').notNull(),");
  out.push("    sortOrder: integer('sort_order').notNull().default(0),");
  out.push("    lastUpdated: integer('last_updated').notNull().default(0),");
  out.push(
    '    /** The scene list\u2019s picture of the scene (`/uploads/<name>`, GM-only; see server/routes/thumbnails.ts), or empty. */',
  );
  out.push("    thumbnailUrl: text('thumbnail_url').notNull().default(''),");
  const sceneProps = registry.scenePlugins.flatMap((p) => savedProps(p));
  for (const prop of sceneProps) out.push(...columnLines(prop, '    '));
  out.push('  },', '  (t) => [');
  out.push("    index('scene_game_session_idx').on(t.gameSessionId),");
  for (const prop of sceneProps) out.push(...checkLines('scene', prop, '    '));
  out.push('  ],', ');', '');

  out.push('/** Binary scene data that plugins keep outside columns (e.g. fog-of-war mask tiles). */');
  out.push('export const sceneBlob = sqliteTable(', "  'scene_blob',", '  {');
  out.push(
    "    sceneId: text('scene_id')",
    '      .notNull()',
    "      .references(() => scene.id, { onDelete: 'cascade' }),",
  );
  out.push("    key: text('key').notNull(),");
  out.push("    data: blob('data', { mode: 'buffer' }).notNull(),");
  out.push("    updatedAt: integer('updated_at').notNull().$defaultFn(() => Date.now()),");
  out.push('  },', '  (t) => [primaryKey({ columns: [t.sceneId, t.key] })],', ');', '');

  for (const plugin of registry.collections) out.push(...collectionTable(plugin), '');

  out.push('export type PartyRow = typeof party.$inferSelect;');
  out.push('export type GameSessionRow = typeof gameSession.$inferSelect;');
  out.push('export type SceneRow = typeof scene.$inferSelect;');
  out.push('export type SceneInsert = typeof scene.$inferInsert;');
  out.push('export type SceneBlobRow = typeof sceneBlob.$inferSelect;');
  for (const plugin of registry.collections) {
    const v = tableVar(plugin);
    const T = v.charAt(0).toUpperCase() + v.slice(1);
    out.push(`export type ${T}Row = typeof ${v}.$inferSelect;`);
    out.push(`export type ${T}Insert = typeof ${v}.$inferInsert;`);
  }
  out.push('', "/** Each collection's table, by collection key. */", 'export const collectionTables = {');
  for (const plugin of registry.collections) out.push(`  ${plugin.key}: ${tableVar(plugin)},`);
  out.push('} as const;');
  return out.join('\n');
}

/** The drizzle variable of a collection's table: `marker`. */
export const tableVar = (plugin: PluginInfo): string => camelCase(plugin.table);

function collectionTable(plugin: PluginInfo): string[] {
  const out = [`/** ${plugin.label}: one row per member (${plugin.file}). */`];
  out.push(`export const ${tableVar(plugin)} = sqliteTable(`, `  '${plugin.table}',`, '  {');
  out.push("    id: text('id').primaryKey(),");
  out.push(
    "    sceneId: text('scene_id')",
    '      .notNull()',
    "      .references(() => scene.id, { onDelete: 'cascade' }),",
  );
  out.push("    createdAt: integer('created_at').notNull().$defaultFn(() => Date.now()),");
  for (const prop of savedProps(plugin)) out.push(...columnLines(prop, '    '));
  out.push('  },', '  (t) => [');
  out.push(`    index('${plugin.table}_scene_idx').on(t.sceneId),`);
  for (const prop of savedProps(plugin)) out.push(...checkLines(plugin.table, prop, '    '));
  out.push('  ],', ');');
  return out;
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

function defaultOf(prop: PropInfo, column: ColumnInfo): unknown {
  const d = prop.decl.default;
  return column.part ? (d as { x: number; y: number })[column.part] : d;
}

function columnLines(prop: PropInfo, indent: string): string[] {
  return prop.columns.map((column) => {
    const def = JSON.stringify(defaultOf(prop, column));
    const builder =
      prop.decl.kind === 'boolean'
        ? `integer('${column.name}', { mode: 'boolean' })`
        : `${column.sql}('${column.name}')`;
    return `${indent}${column.field}: ${builder}.notNull().default(${def}),`;
  });
}

function checkLines(table: string, prop: PropInfo, indent: string): string[] {
  const d = prop.decl;
  const lines: string[] = [];
  for (const column of prop.columns) {
    const ref = `\${t.${column.field}}`;
    let cond: string | undefined;
    switch (d.kind) {
      case 'number':
      case 'integer':
      case 'point':
        if (d.min !== undefined && d.max !== undefined) cond = `${ref} BETWEEN ${d.min} AND ${d.max}`;
        else if (d.min !== undefined) cond = `${ref} >= ${d.min}`;
        else if (d.max !== undefined) cond = `${ref} <= ${d.max}`;
        break;
      case 'boolean':
        cond = `${ref} IN (0, 1)`;
        break;
      case 'enum':
        cond = `${ref} IN (${d.values.map(sqlString).join(', ')})`;
        break;
      case 'color':
        cond = `${ref} GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'`;
        break;
      case 'string':
        cond = `length(${ref}) <= ${d.maxLength ?? 2000}`;
        break;
      case 'asset':
        cond = `length(${ref}) <= 2048`;
        break;
    }
    if (cond) lines.push(`${indent}check('${table}_${column.name}_check', sql\`${cond}\`),`);
  }
  return lines;
}
