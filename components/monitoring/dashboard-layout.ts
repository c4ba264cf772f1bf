/** The layout of an environment's alert dashboard (pure). */

const COLUMNS = 48;
const CHART_WIDTH = 24;
const CHART_HEIGHT = 16;
const BANNER_HEIGHT = 4;

/** Mosaic dashboard: a banner, then one collapsible group per alert group, two alert charts per row. */
export function dashboardLayout(
  displayName: string,
  handbookUrl: string,
  groups: { title: string; policies: string[] }[],
) {
  const tiles: Record<string, unknown>[] = [
    {
      xPos: 0,
      yPos: 0,
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
      xPos: 0,
      yPos: y,
      width: COLUMNS,
      height: rows * CHART_HEIGHT,
      widget: { title: g.title, collapsibleGroup: { collapsed: false } },
    });
    g.policies.forEach((policy, i) =>
      tiles.push({
        xPos: (i % 2) * CHART_WIDTH,
        yPos: y + Math.floor(i / 2) * CHART_HEIGHT,
        width: CHART_WIDTH,
        height: CHART_HEIGHT,
        widget: { alertChart: { name: policy } },
      }),
    );
    y += rows * CHART_HEIGHT;
  }
  return { displayName, mosaicLayout: { columns: COLUMNS, tiles } };
}
