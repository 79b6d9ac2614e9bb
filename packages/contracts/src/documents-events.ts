// Events the documents service publishes. The documents issue (4) owns this file.
export {};
