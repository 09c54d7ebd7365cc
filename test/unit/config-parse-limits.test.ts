/** The parse limits an operator sets: a time budget per message, the parse children's memory limit, the loop monitor. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';

describe('parse limits configuration', () => {
  it('defaults: 30 s a message, 1536 MiB a parse child, no loop monitor', () => {
    const c = loadConfig({});
    expect([c.parseMessageSeconds, c.parseChildMemoryMb, c.loopMonitor]).toEqual([30, 1536, false]);
  });

  it('takes fractions of a second, a larger limit and the monitor switched on', () => {
    const c = loadConfig({
      LICENSEDESK_PARSE_MESSAGE_SECONDS: '0.5',
      LICENSEDESK_PARSE_CHILD_MEMORY_MB: '4096',
      LICENSEDESK_LOOP_MONITOR: '1',
    });
    expect([c.parseMessageSeconds, c.parseChildMemoryMb, c.loopMonitor]).toEqual([0.5, 4096, true]);
  });

  it('refuses a memory limit Node cannot start under, and a budget of nothing, naming the variable (E_CONFIG_INVALID)', () => {
    expect(() => loadConfig({ LICENSEDESK_PARSE_CHILD_MEMORY_MB: '512' })).toThrow(
      /E_CONFIG_INVALID[\s\S]*LICENSEDESK_PARSE_CHILD_MEMORY_MB/,
    );
    expect(() => loadConfig({ LICENSEDESK_PARSE_MESSAGE_SECONDS: '0' })).toThrow(
      /E_CONFIG_INVALID[\s\S]*LICENSEDESK_PARSE_MESSAGE_SECONDS/,
    );
    expect(() => loadConfig({ LICENSEDESK_LOOP_MONITOR: 'yes' })).toThrow(
      /E_CONFIG_INVALID[\s\S]*LICENSEDESK_LOOP_MONITOR/,
    );
  });
});
