const MULTIPART = /^multipart\/form-data/i;

/**
 * PHP fills $_POST (and so $_REQUEST) from multipart/form-data too, which is what PHP's cURL sends
 * when CURLOPT_POSTFIELDS is given an array. Re-encodes such a body's text fields as a
 * form-encoded body, so the one $_REQUEST reader handles both; any other body comes back as it was.
 * A multipart value is literal, so a `+` in it is encoded and stays a `+`.
 */
export async function asFormEncoded(contentType: string | undefined, body: string): Promise<{ contentType: string | undefined; body: string }> {
  if (!contentType || !MULTIPART.test(contentType) || body === '') return { contentType, body };
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    // Not parseable as multipart: PHP would have read no fields from it either.
    return { contentType: 'application/x-www-form-urlencoded', body: '' };
  }
  const pairs: string[] = [];
  for (const [key, value] of form) {
    if (typeof value === 'string') pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return { contentType: 'application/x-www-form-urlencoded', body: pairs.join('&') };
}
