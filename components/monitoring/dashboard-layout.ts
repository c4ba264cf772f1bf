/**
 * The layout of an environment's alert dashboard (pure). It carries no zero-valued field: the Monitoring API
 * stores dashboards as protos and returns them without fields at their default (`xPos: 0`, `yPos: 0`,
 * `collapsed: false`), and the provider compares the program's JSON with the API's copy key by key, so a zero
 * sent is an update on every later preview (engine/model/returns.ts has the sources).
 */

const COLUMNS = 48;
const CHART_WIDTH = 24;
const CHART_HEIGHT = 16;
const BANNER_HEIGHT = 4;

/** A tile's position, without the coordinates that are 0 (the API's default). */
const at = (x: number, y: number) => ({ ...(x ? { xPos: x } : {}), ...(y ? { yPos: y } : {}) });

/** Mosaic dashboard: a banner, then one collapsible group per alert group, two alert charts per row. */
export function dashboardLayout(
  displayName: string,
  handbookUrl: string,
  groups: { title: string; policies: string[] }[],
) {
  const tiles: Record<string, unknown>[] = [
    {
      ...at(0, 0),
      width: COLUMNS,
      height: BANNER_HEIGHT,
      widget: {
        title: "About",
        text: {
          content: `This dashboard is auto-generated - please do not edit!\n\nHandbook: ${handbookUrl}`,
          format: "MARKDOWN",
        },
      },
    },
  ];
  let y = BANNER_HEIGHT;
  for (const g of groups) {
    const rows = Math.ceil(g.policies.length / 2);
    tiles.push({
      ...at(0, y),
      width: COLUMNS,
      height: rows * CHART_HEIGHT,
      // Expanded is the default (`collapsed: false`), which the API does not store.
      widget: { title: g.title, collapsibleGroup: {} },
    });
    g.policies.forEach((policy, i) =>
      tiles.push({
        ...at((i % 2) * CHART_WIDTH, y + Math.floor(i / 2) * CHART_HEIGHT),
        width: CHART_WIDTH,
        height: CHART_HEIGHT,
        widget: { alertChart: { name: policy } },
      }),
    );
    y += rows * CHART_HEIGHT;
  }
  return { displayName, mosaicLayout: { columns: COLUMNS, tiles } };
}
