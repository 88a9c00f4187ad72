// The callback room's face: the rest of the code imports from here.
export * from './allowed-hosts.ts';
export * from './delivery.ts';
export * from './public-address.ts';
export * from './report.ts';
export * from './target.ts';
