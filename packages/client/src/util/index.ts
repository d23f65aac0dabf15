export { TokenBucketRateLimiter, fakeAlwaysRateLimiter, type RateLimiter, type TokenBucketOptions } from "./flowcontrol.js";
export { DEFAULT_BACKOFF, DEFAULT_RETRY, onError, retryOnConflict, type Backoff } from "./retry.js";
export { DEFAULT_PAGE_SIZE, ListPager, type ListLike, type ListPagerOptions, type PageFn } from "./pager.js";
