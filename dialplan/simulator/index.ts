// The simulator's public surface, for vitest (or node:test) in a dialplan project.
export { simulate, simulateOn, sim, type SimResult, type SimCall, type Sim, type SimulateOptions, type DialplanSource } from './simulate.ts';
export { FakePbx, type FakePbxOptions } from './fake-pbx.ts';
export { DialplanCompileError } from './compile-cache.ts';
export type { Scenario, EndpointBehavior, SimConfig } from './scenario.ts';
export type { SimEnd, TraceEntry } from './sim-call.ts';
