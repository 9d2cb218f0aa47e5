export const FIND_CASES = []
