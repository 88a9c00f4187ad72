// The runtime room's face: the rest of the code imports from here.
export * from './deadline.ts';
export * from './log.ts';
export * from './quote.ts';
