performance.mark('ui-start');
import { mount } from 'svelte';
import './app.css';
import Root from './Root.svelte';

const target = document.getElementById('app');
if (target) mount(Root, { target });
