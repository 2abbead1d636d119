// One ECharts chart (tree-shaken: the chart types and components the views use), with an
// accessible name; the numbers it shows are also in a table beside it.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export interface ClickParams {
  data?: unknown;
  dataIndex: number;
  seriesIndex?: number;
}

export function EChart(props: {
  option: EChartsCoreOption;
  label: string;
  height: number;
  onClick?: (p: ClickParams) => void;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const onClick = useRef(props.onClick);
  onClick.current = props.onClick;

  useEffect(() => {
    const c = echarts.init(ref.current!, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => onClick.current?.(p as unknown as ClickParams));
    const resize = (): void => c.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    // ECharts' own aria description would replace the label on the container: the label and the tables say it.
    chart.current?.setOption({ animation: false, ...props.option }, true);
  }, [props.option]);

  return (
    <div
      ref={ref}
      role="img"
      aria-label={props.label}
      data-testid={props.testId}
      style={{ width: '100%', height: props.height }}
    />
  );
}
