/** Database access: open + migrate the libSQL database, and generic scene storage driven by the registry. */
export { migrateDatabase, PLUGIN_VERSIONS_TABLE, type MigrationReport } from './migrate';
export { openDatabase, MIGRATIONS_FOLDER, type Database, type Db, type Tx, type OpenOptions } from './client';
export {
  propertyColumns,
  checkColumnValue,
  checkPropertyColumns,
  defaultColumns,
  type PropertyColumn,
  type ColumnError,
} from './columns';
export {
  newId,
  collectionTable,
  summaryOf,
  gmSummaryOf,
  listScenes,
  getScene,
  loadScenes,
  nextSortOrder,
  insertScene,
  replaceCollection,
  foreignMemberIds,
  writeBlobs,
  blobKeys,
  duplicateScene,
  reorderScenes,
  type Queryable,
  type SceneSummary,
  type StoredScene,
} from './scenes';
