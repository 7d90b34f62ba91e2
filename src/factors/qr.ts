/**
 * @module QR codes of `otpauth://` URIs, as SVG (inline in the enrolment answer) or PNG. Error
 * correction M: enough for screens and printouts without making the code dense.
 */
import QRCode from 'qrcode'

/** An SVG document of the QR code of `uri`. */
export function qrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
}

/** A PNG image of the QR code of `uri`. */
export function qrPng(uri: string): Promise<Buffer> {
  return QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 })
}
