/**
 * nock patches process-wide HTTP, and Jest runs many test files in one
 * worker: a file that disables the network must give it back. Call this at
 * the top of a describe (or file) that uses nock.
 */
import { afterAll, beforeAll } from "@jest/globals";
import nock from "nock";

export function useNock(): void {
  let activated = false;
  beforeAll(() => {
    if (!nock.isActive()) {
      nock.activate();
      activated = true;
    }
    nock.disableNetConnect();
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    if (activated || nock.isActive()) nock.restore();
  });
}
