/**
 * "over the last [period]": the period picker of the pages that summarize a time window.
 * `ranges` maps each label to its length in minutes.
 */
export function RangePicker<R extends string>({ ranges, value, onChange }: { ranges: Record<R, number>; value: R; onChange: (range: R) => void }) {
  return (
    <label className="inline">
      over the last{' '}
      <select value={value} onChange={(e) => onChange(e.target.value as R)}>
        {Object.keys(ranges).map((r) => (
          <option key={r}>{r}</option>
        ))}
      </select>
    </label>
  );
}
