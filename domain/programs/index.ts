/**
 * The programs this desk runs: the one list the spine looks a program up in.
 * Adding a program is one folder beside these and one line here.
 */
import type { ProgramDefinition } from '../program.js';
import { altigen } from './altigen/program.js';
import { audium } from './audium/program.js';
import { avayaSwap } from './avaya-swap/program.js';
import { lumenvox } from './lumenvox/program.js';

export const PROGRAMS: readonly ProgramDefinition<unknown>[] = [altigen, avayaSwap, lumenvox, audium];
