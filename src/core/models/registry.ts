import { lenet300100 } from './lenet.ts';
import type { Model, ModelName } from './model.ts';
import { resnet20 } from './resnet.ts';
import { vgg16 } from './vgg.ts';

const built = new Map<string, Model>();

/** The model a configuration names; `width` is the first-stage channel count of ResNet-20 (16 standard) and VGG-16 (64 standard). */
export function modelFor(name: ModelName, width = 16): Model {
  if (name === 'lenet-300-100') return lenet300100;
  const key = `${name}@${width}`;
  let model = built.get(key);
  if (!model) {
    model = name === 'resnet-20' ? resnet20(width) : vgg16(width);
    built.set(key, model);
  }
  return model;
}
