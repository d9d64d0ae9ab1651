// Export actions used by the share menu: each view as SVG or PNG, the result as JSON or CSV.
import type { XlensResult } from '../../engine/result';
import { resultToCSV, resultToJSON } from '../../state/result-file';
import { downloadBlob, downloadText, MIME } from './download';
import { resultFileName } from './filename';
import { svgToPngBlob } from './png';
import { prepareSVG } from './svg';






/** a UTF-8 byte-order mark, so spreadsheet programs read Arabic, Thai or Chinese text correctly */
const BOM = '\uFEFF';

export function downloadSVG(svg: string, result: XlensResult | null, view: string): void {
  downloadText(prepareSVG(svg), result ? resultFileName(result, 'svg', view) : `xlens_${view}.svg`, MIME.svg);
}

export async function downloadPNG(svg: string, result: XlensResult | null, view: string): Promise<void> {
  downloadBlob(await svgToPngBlob(svg), result ? resultFileName(result, 'png', view) : `xlens_${view}.png`);
}

export function downloadJSON(result: XlensResult): void {
  downloadText(resultToJSON(result), resultFileName(result, 'json'), MIME.json);
}

export function downloadCSV(result: XlensResult): void {
  downloadText(BOM + resultToCSV(result), resultFileName(result, 'csv'), MIME.csv);
}
