import { useState } from 'react';
import { type ConfigField, type ExperimentConfig, crossFieldProblems } from '../core/experiments/config.ts';
import { PRESETS, type PresetName, isPresetName } from '../core/experiments/presets.ts';
import { PRESET_INFO, matchesPreset, trainingStepsOf } from '../core/experiments/preset-info.ts';
import { type SettingRow, choicesOf, parseSettingText } from '../core/experiments/settings.ts';
import { BASIC_GROUP, SETTING_GROUPS, applies, formatSetting } from './settings-fields.ts';
import { isBusy } from './run-state.ts';
import { useAppStore } from './store-context.tsx';

function SettingInput({ row, value, disabled }: { row: SettingRow; value: ExperimentConfig[ConfigField]; disabled: boolean }) {
  const setField = useAppStore((s) => s.setField);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const id = `setting-${row.field}`;
  const helpId = `${id}-help`;
  const commit = (text: string): void => {
    const parsed = parseSettingText(row, text);
    if (parsed.ok) {
      setError(null);
      setDraft(null);
      setField(row.field, parsed.value as never);
    } else setError(parsed.message);
  };
  let input;
  if (row.kind === 'bool') {
    input = (
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        disabled={disabled}
        aria-describedby={helpId}
        onChange={(e) => commit(String(e.target.checked))}
      />
    );
  } else if (row.kind === 'choice') {
    input = (
      <select id={id} value={String(value)} disabled={disabled} aria-describedby={helpId} onChange={(e) => commit(e.target.value)}>
        {choicesOf(row.field).map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  } else {
    input = (
      <input
        id={id}
        type="text"
        inputMode={row.kind === 'list' ? 'text' : 'decimal'}
        value={draft ?? formatSetting(value)}
        disabled={disabled}
        aria-invalid={error !== null}
        aria-describedby={helpId}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && commit(e.currentTarget.value)}
      />
    );
  }
  return (
    <div className="setting">
      <span className="setting-label">
        <label htmlFor={id}>{row.label}</label>
        {/* Help by tap or keyboard, not by hover alone. */}
        <button
          type="button"
          className="help-toggle"
          aria-expanded={helpOpen}
          aria-controls={helpId}
          aria-label={`What is “${row.label}”?`}
          onClick={() => setHelpOpen(!helpOpen)}
        >
          ?
        </button>
      </span>
      {input}
      <p id={helpId} className="setting-help" hidden={!helpOpen}>
        {row.help}
      </p>
      {error && (
        <span className="setting-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** The preset box's value while the settings are no preset's own. */
const CUSTOM = 'custom';

/** The settings panel: preset, every setting of the configuration, and cross-field problems. */
export function SettingsPanel() {
  const config = useAppStore((s) => s.config);
  const preset = useAppStore((s) => s.preset);
  const choosePreset = useAppStore((s) => s.choosePreset);
  const busy = useAppStore((s) => isBusy(s.run.phase));
  const problems = crossFieldProblems(config);
  const edited = !matchesPreset(config, preset);
  return (
    <section className="panel settings" aria-label="Settings">
      <div className="setting">
        <label htmlFor="preset">Preset</label>
        {/* The box names a preset only while the settings are exactly its own. */}
        <select
          id="preset"
          value={edited ? CUSTOM : preset}
          disabled={busy}
          aria-describedby="preset-description"
          onChange={(e) => isPresetName(e.target.value) && choosePreset(e.target.value)}
        >
          {edited && <option value={CUSTOM}>custom (closest: {preset})</option>}
          {(Object.keys(PRESETS) as PresetName[]).map((name) => (
            <option key={name} value={name}>
              {name}: {PRESET_INFO[name].title}
            </option>
          ))}
        </select>
        <p id="preset-description" className="preset-description" data-testid="preset-description">
          {edited
            ? `Your own settings, starting from ${preset}. Choosing a preset replaces them.`
            : `${PRESET_INFO[preset].description} Its work: ${trainingStepsOf(config).toLocaleString('en-US')} training steps.`}
        </p>
      </div>
      <fieldset>
        <legend>{BASIC_GROUP.title}</legend>
        {BASIC_GROUP.rows
          .filter((row) => applies(row, config))
          .map((row) => (
            <SettingInput key={`${row.field}:${formatSetting(config[row.field])}`} row={row} value={config[row.field]} disabled={busy} />
          ))}
      </fieldset>
      <details className="advanced" data-testid="advanced-settings">
        <summary>Advanced settings (seeds, optimiser details, evaluation, backend…)</summary>
        {SETTING_GROUPS.filter((group) => (group.when?.(config) ?? true) && group.rows.length > 0).map((group) => (
          <fieldset key={group.title}>
            <legend>{group.title}</legend>
            {group.rows.map((row) => (
              <SettingInput key={`${row.field}:${formatSetting(config[row.field])}`} row={row} value={config[row.field]} disabled={busy} />
            ))}
          </fieldset>
        ))}
      </details>
      {problems.length > 0 && (
        <p className="setting-error" role="alert">
          {problems.join('; ')}
        </p>
      )}
    </section>
  );
}
