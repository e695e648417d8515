import { lenet300100 } from './lenet.ts';
import type { Model, ModelName } from './model.ts';
import { resnet20 } from './resnet.ts';

const resnets = new Map<number, Model>();

/** The model a configuration names; `width` is ResNet-20's first-stage channel count (16 standard). */
export function modelFor(name: ModelName, width = 16): Model {
  if (name === 'lenet-300-100') return lenet300100;
  let model = resnets.get(width);
  if (!model) {
    model = resnet20(width);
    resnets.set(width, model);
  }
  return model;
}
