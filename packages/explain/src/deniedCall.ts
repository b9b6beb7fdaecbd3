/**
 * True when a call was refused for lack of permission: its error code contains AccessDenied,
 * Unauthorized or Forbidden (AccessDenied, AccessDeniedException, Client.UnauthorizedOperation,
 * UnauthorizedException, Forbidden, ...). Throttling or validation errors are not denials.
 */
export function isDeniedCall(errorCode: string | undefined): boolean {
  if (errorCode === undefined || errorCode === '') return false;
  return /accessdenied|unauthorized|forbidden/i.test(errorCode.slice(0, 200));
}
