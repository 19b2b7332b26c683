/**
 * The database's tables. Each area adds its own by module augmentation in its own file:
 *   declare module '../store/schema.ts' { interface Database { my_table: MyTable } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}
