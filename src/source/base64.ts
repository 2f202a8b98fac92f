// Base64 as Kubernetes decodes it: encoding/base64's StdEncoding (padding required, line breaks ignored).

/** Strict standard base64 as Kubernetes decodes `data` ([]byte in JSON: StdEncoding, newlines ignored). */
export function decodeBase64Strict(s: string): string | undefined {
  const clean = s.replace(/[\r\n]/g, '')
  if (!isBase64Clean(clean)) return undefined
  return Buffer.from(clean, 'base64').toString('utf8')
}

/** Whether decodeBase64Strict decodes `s` (without decoding it). */
export function isBase64Strict(s: string): boolean {
  return isBase64Clean(s.includes('\n') || s.includes('\r') ? s.replace(/[\r\n]/g, '') : s)
}

function isBase64Clean(clean: string): boolean {
  return clean.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(clean)
}
