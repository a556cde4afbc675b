/**
 * `regionprops` with scikit-image's property names and definitions, shape properties, and custom
 * properties.
 *
 * @packageDocumentation
 */
export { regionprops } from './regionprops.js';
export type { RegionpropsOptions } from './regionprops.js';
export { knownProperties, PROPERTY_ALIASES, registerShapeProperty } from './properties.js';
export type { CustomProperty } from './properties.js';
export type { ShapePropertyDefinition, ShapeRegion } from './properties.js';
export { columnNames, createTable, numericColumn } from '../table/table.js';
export type { Column, Table, TableMetadata } from '../table/table.js';
export * from './shape/index.js';
