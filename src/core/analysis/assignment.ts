/**
 * The linear assignment that maximises total similarity: for an n × n matrix `similarity`
 * (row-major), the permutation `p` (row i → column p[i]) with the largest Σ similarity[i][p[i]].
 * Solved exactly by the shortest-augmenting-path Hungarian method with potentials (Jonker and
 * Volgenant's formulation, O(n³)): 300 units take a few milliseconds.
 */
export function maxAssignment(similarity: ArrayLike<number>, n: number): Int32Array {
  if (similarity.length !== n * n) throw new RangeError(`a ${n} × ${n} similarity matrix has ${n * n} entries, not ${similarity.length}`);
  // Minimise cost = −similarity. Arrays are 1-based as in the classic formulation; index 0 is the virtual start.
  const INF = Number.POSITIVE_INFINITY;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const matchOfColumn = new Int32Array(n + 1); // row matched to column j (0: none)
  const way = new Int32Array(n + 1);
  const minTo = new Float64Array(n + 1);
  const used = new Uint8Array(n + 1);
  const cost = (i: number, j: number) => -(similarity[(i - 1) * n + (j - 1)] as number);
  for (let i = 1; i <= n; i++) {
    matchOfColumn[0] = i;
    let j0 = 0;
    minTo.fill(INF);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = matchOfColumn[j0] as number;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const reduced = cost(i0, j) - (u[i0] as number) - (v[j] as number);
        if (reduced < (minTo[j] as number)) {
          minTo[j] = reduced;
          way[j] = j0;
        }
        if ((minTo[j] as number) < delta) {
          delta = minTo[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[matchOfColumn[j] as number] = (u[matchOfColumn[j] as number] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else minTo[j] = (minTo[j] as number) - delta;
      }
      j0 = j1;
    } while (matchOfColumn[j0] !== 0);
    do {
      const j1 = way[j0] as number;
      matchOfColumn[j0] = matchOfColumn[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const p = new Int32Array(n);
  for (let j = 1; j <= n; j++) p[(matchOfColumn[j] as number) - 1] = j - 1;
  return p;
}
