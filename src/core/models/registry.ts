import { lenet300100 } from './lenet.ts';
import type { Model, ModelName } from './model.ts';

const MODELS: Record<ModelName, Model> = { 'lenet-300-100': lenet300100 };

/** The model a configuration names. */
export function modelFor(name: ModelName): Model {
  return MODELS[name];
}
