import { usesCifar } from '../core/models/model.ts';
import type { ExperimentConfig } from '../core/experiments/config.ts';
import { SETTINGS, type SettingGroup, type SettingRow } from '../core/experiments/settings.ts';

/** A group of the settings form: its title, when it applies, and its rows (from the one settings table). */
export interface FormGroup {
  readonly title: string;
  readonly rows: readonly SettingRow[];
  readonly when?: (c: ExperimentConfig) => boolean;
}

/** The form's groups, in order; each setting's row comes from {@link SETTINGS}. */
const GROUPS: readonly { readonly group: SettingGroup; readonly title: string; readonly when?: (c: ExperimentConfig) => boolean }[] = [
  { group: 'experiment', title: 'Experiment' },
  { group: 'resnet', title: 'ResNet-20 and VGG-16', when: (c) => usesCifar(c.model) },
  { group: 'pruning', title: 'Pruning (IMP with rewinding)', when: (c) => c.experiment === 'imp' },
  { group: 'instability', title: 'Instability analysis' },
  { group: 'training', title: 'Training' },
];

/** The few settings a student changes, shown first (model, experiment, T, k, pairs, learning rate; IMP's rounds). */
export const BASIC_GROUP: FormGroup = { title: 'Main settings', rows: SETTINGS.filter((r) => r.basic) };

/** The other settings by group, under Advanced. */
export const SETTING_GROUPS: readonly FormGroup[] = GROUPS.map(({ group, ...rest }) => ({
  ...rest,
  rows: SETTINGS.filter((r) => r.group === group && !r.basic),
}));

/** Whether `row` applies to `config` (its group's condition: ResNet-20 settings for ResNet-20, pruning for IMP). */
export function applies(row: SettingRow, config: ExperimentConfig): boolean {
  return GROUPS.find((g) => g.group === row.group)?.when?.(config) ?? true;
}

/** The text a setting's input shows for `value` (lists with a space after each comma). */
export function formatSetting(value: ExperimentConfig[keyof ExperimentConfig]): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}
