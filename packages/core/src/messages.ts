/**
 * Every message PhoneManageV2 and CAToken are documented to send, verbatim: odd spacing, typos and
 * line breaks included (see docs/reference/cloudagent-phone-api.md). The simulator answers with
 * these; the classifier recognises them however the server pads or wraps them.
 */
export const VENDOR_MESSAGES = {
  success: 'record inserted successfully',
  partialSkills: 'record inserted successfully and failed to insert skills please pass the valid skills',
  authInvalid: 'userName or apiKey not valid',
  /** The get pages print the same message with a leading space. */
  authInvalidGet: ' userName or apiKey not valid',
  actionInvalid: 'action not valid',
  numberNotNumeric: 'phoneNumber must be numeric',
  nameEmpty: 'phoneName cannot be empty',
  numberEmpty: 'phoneNumber cannot be empty',
  alreadyExists: 'phone_name or phone_number already exist',
  numberLength: 'phoneNumber should be between 3 to 17 digits long and allows prefix +',
  nameRule:
    'phoneName should be between 2 to 50 alphanumeric characters long allows prefix + and special characters like .,@,_,- and Name cannot start and end with Special characters.',
  /** As the seed page prints it: leading space, breaks after "Please" and after 'Edit Profile', trailing space. */
  limitExceeded:
    " Phone Number Limit Exceeded. Please\nrefer to the 'Phone Number Creation Limit' option under 'Edit Profile'\nfor reference. ",
  rateLimited: 'Max limit exceeded',
  // CAToken envelope ({"status":"false","message":...,"data":null}) and sibling v2 endpoints.
  tokenUserNameNull: 'UserName is null',
  tokenInvalidCredentials: 'Invalid userName or apiKey',
  tokenExpired: 'Token Expired',
  tokenInvalid: 'Invalid Token',
  tokenEmpty: 'Token Should Not be Null or Empty.',
  missingCredentials: 'Missing userName or apiKey',
  invalidJson: 'Invalid Json Pass Valid Json',
} as const;

export type VendorMessageKey = keyof typeof VENDOR_MESSAGES;
