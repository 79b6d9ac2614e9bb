export { Supervisor, type ProcessSpec, type ProcessStatus, type SupervisorEnd, type SupervisorOptions } from './supervisor.ts';
export { DEFAULT_RESTART_POLICY, afterExit, nextStreak, type RestartPolicy } from './restart-policy.ts';
export { linePrefixer } from './line-prefixer.ts';
